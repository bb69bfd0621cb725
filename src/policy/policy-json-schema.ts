import { z } from 'zod';
import { PolicySchema } from './policy-schema.js';

export const POLICY_SCHEMA_ID = 'https://saferoute.dev/schema/policy.schema.json';

/** The published JSON Schema (draft 2020-12), derived from the zod types so the two never drift. */
export function buildPolicyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(PolicySchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: POLICY_SCHEMA_ID,
    title: 'saferoute policy',
    description: 'A saferoute content-safety policy: targets, jurisdictions, rules and defaults.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}
