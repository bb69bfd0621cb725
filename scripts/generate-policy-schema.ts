// Regenerates policies/schema/policy.schema.json from the zod types (run: npm run schema).
import { writeFileSync } from 'node:fs';
import { buildPolicyJsonSchema } from '../src/policy/policy-json-schema.js';

const out = new URL('../policies/schema/policy.schema.json', import.meta.url);
writeFileSync(out, JSON.stringify(buildPolicyJsonSchema(), null, 2) + '\n');
console.log(`wrote ${out.pathname}`);
