import { z } from 'zod';
import { PolicySchema } from './policy-schema.js';
import { PolicyTestFileSchema } from '../policy-tests/policy-test-file.js';

export const POLICY_SCHEMA_ID = 'https://saferoute.dev/schema/policy.schema.json';
export const POLICY_TESTS_SCHEMA_ID = 'https://saferoute.dev/schema/policy-tests.schema.json';

function toSchema(schema: z.ZodType, id: string, title: string, description: string): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: id,
    title,
    description,
    ...Object.fromEntries(Object.entries(json).filter(([k]) => k !== '$schema')),
  };
}

/** The published policy JSON Schema (draft 2020-12), derived from the zod types so they never drift. */
export function buildPolicyJsonSchema(): Record<string, unknown> {
  return toSchema(PolicySchema, POLICY_SCHEMA_ID, 'saferoute policy', 'A saferoute content-safety policy: targets, jurisdictions, rules and defaults.');
}

/** The JSON Schema of `NAME.tests.json` files. */
export function buildPolicyTestsJsonSchema(): Record<string, unknown> {
  return toSchema(
    PolicyTestFileSchema,
    POLICY_TESTS_SCHEMA_ID,
    'saferoute policy tests',
    'Test cases for a saferoute policy: inputs, subjects and the expected decision.',
  );
}
