import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildGatewayConfigJsonSchema } from '../../src/gateway/gateway-config.js';
import { loadGatewayConfig } from '../../src/gateway/load-gateway-config.js';

describe('the gateway config schema and examples', () => {
  it('is committed as `npm run schema` writes it', () => {
    const committed = JSON.parse(readFileSync(new URL('../../policies/schema/gateway-config.schema.json', import.meta.url), 'utf8')) as unknown;
    expect(committed).toEqual(buildGatewayConfigJsonSchema());
  });
  it.each(['saferoute.config.json', 'compose.config.json'])('examples/gateway/%s validates', async (name) => {
    const result = await loadGatewayConfig(new URL(`../../examples/gateway/${name}`, import.meta.url).pathname);
    expect(result.ok ? [] : result.issues).toEqual([]);
  });
});
