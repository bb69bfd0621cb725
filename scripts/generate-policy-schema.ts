// Regenerates the JSON Schemas editors use from the zod types (run: npm run schema).
// A test fails when the committed files differ from what this would write.
import { writeFileSync } from 'node:fs';
import { buildPolicyJsonSchema, buildPolicyTestsJsonSchema } from '../src/policy/policy-json-schema.js';
import { buildGatewayConfigJsonSchema } from '../src/gateway/gateway-config.js';
import { buildLexiconJsonSchema } from '../src/classifiers/lexicon/lexicon-schema.js';

for (const [path, schema] of [
  ['policies/schema/policy.schema.json', buildPolicyJsonSchema()],
  ['policies/schema/policy-tests.schema.json', buildPolicyTestsJsonSchema()],
  ['policies/schema/gateway-config.schema.json', buildGatewayConfigJsonSchema()],
  ['classifiers/lexicons/lexicon.schema.json', buildLexiconJsonSchema()],
] as const) {
  const out = new URL(`../${path}`, import.meta.url);
  writeFileSync(out, JSON.stringify(schema, null, 2) + '\n');
  console.log(`wrote ${out.pathname}`);
}
