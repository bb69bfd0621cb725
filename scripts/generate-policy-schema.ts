// Regenerates the JSON Schemas editors use from the zod types (run: npm run schema).
// A test fails when the committed files differ from what this would write.
import { writeFileSync } from 'node:fs';
import { buildPolicyJsonSchema, buildPolicyTestsJsonSchema } from '../src/policy/policy-json-schema.js';
import { buildGatewayConfigJsonSchema } from '../src/gateway/gateway-config.js';

for (const [name, schema] of [
  ['policy.schema.json', buildPolicyJsonSchema()],
  ['policy-tests.schema.json', buildPolicyTestsJsonSchema()],
  ['gateway-config.schema.json', buildGatewayConfigJsonSchema()],
] as const) {
  const out = new URL(`../policies/schema/${name}`, import.meta.url);
  writeFileSync(out, JSON.stringify(schema, null, 2) + '\n');
  console.log(`wrote ${out.pathname}`);
}
