import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { createPiiClassifier } from '../../src/classifiers/pii/index.js';
import { hashApiKey } from '../../src/gateway/api-keys.js';
import { DEFAULT_LIMITS, type GatewayConfig } from '../../src/gateway/gateway-config.js';
import { startGateway, type RunningGateway, type StartGatewayOptions } from '../../src/gateway/start-gateway.js';
import type { PolicyDocument } from '../../src/policy/policy-schema.js';
import { createMarkerClassifier, OPENAI_KEY_ENV, resolverOf, TEST_CLASSIFIERS } from '../guard/guard-fixtures.js';

export const APP_KEY = 'sr_test_app_key_0123456789';
export const ADMIN_KEY = 'sr_test_admin_key_0123456789';

/** A policy for gateway tests: `FORBIDDEN` is blocked at both stages (marker classifier), `[[adult]]` routes to restricted. */
export function gatewayPolicy(up: { openaiBaseURL: string; ollamaHost: string }, overrides: Partial<PolicyDocument> = {}): PolicyDocument {
  return {
    id: 'gateway-test',
    revision: '1',
    classifiers: { input: ['marker', 'pii'], output: ['marker', 'pii'] },
    targets: {
      sfw: { provider: 'openai', model: 'gpt-4o-mini', baseURL: up.openaiBaseURL, apiKeyEnv: OPENAI_KEY_ENV },
      restricted: {
        provider: 'ollama',
        model: 'llama3.1:8b',
        baseURL: up.ollamaHost,
        requirements: { age: { minimum: 18, level: 'enhanced' }, consent: [{ scope: 'adult-content', minVersion: '1.0.0' }] },
      },
    },
    jurisdictions: { '*': { minimumAge: 18 } },
    rules: [
      { id: 'block-minors', description: 'd', stage: 'both', when: { score: 'sexual/minors', gte: 0.5 }, effect: { action: 'block', reason: 'sexual_minors', message: 'prohibited' } },
      { id: 'adult', description: 'd', stage: 'input', when: { score: 'sexual', gte: 0.5 }, effect: { action: 'route', target: 'restricted', precedence: 90 }, warnings: ['adult-content'] },
    ],
    defaults: { route: 'sfw', onClassifierError: 'block' },
    output: { onBlock: 'refuse', streaming: { mode: 'hold-back', holdBackChars: 24, checkEveryChars: 16 } },
    messages: { prohibited: 'This request cannot be processed.' },
    ...overrides,
  } as PolicyDocument;
}

export interface TestGateway {
  running: RunningGateway;
  dir: string;
  policyFile: string;
  client(key?: string): OpenAI;
  url: string;
  close(): Promise<void>;
}

/** A gateway on 127.0.0.1 with tenant `acme` (an app key, and an admin key), over the given policy. */
export async function startTestGateway(
  policy: PolicyDocument,
  options: { config?: Partial<GatewayConfig>; host?: Partial<StartGatewayOptions>; env?: Record<string, string> } = {},
): Promise<TestGateway> {
  const dir = await mkdtemp(join(tmpdir(), 'saferoute-gw-'));
  const policyFile = join(dir, 'policy.json');
  await writeFile(policyFile, JSON.stringify(policy, null, 2));
  const config: GatewayConfig = {
    listen: { host: '127.0.0.1', port: 0 },
    tenants: [
      {
        id: 'acme',
        policy: policyFile,
        apiKeys: [
          { id: 'acme-app', sha256: hashApiKey(APP_KEY) },
          { id: 'acme-admin', sha256: hashApiKey(ADMIN_KEY), scopes: ['chat', 'decide', 'moderations', 'admin'] },
        ],
      },
    ],
    audit: { disabled: true },
    limits: { ...DEFAULT_LIMITS },
    trustedProxies: [],
    trustedHeaders: {},
    onBlock: 'refuse',
    open: false,
    ...options.config,
  };
  const marker = createMarkerClassifier();
  const running = await startGateway(config, {
    env: { [OPENAI_KEY_ENV]: 'sk-test', ...options.env },
    cwd: dir,
    classifiers: resolverOf({ marker, pii: createPiiClassifier() }),
    classifierCategories: TEST_CLASSIFIERS,
    log: () => undefined,
    signals: false,
    watchFiles: false,
    ...options.host,
  });
  return {
    running,
    dir,
    policyFile,
    url: running.url,
    client: (key = APP_KEY) => new OpenAI({ baseURL: `${running.url}/v1`, apiKey: key, maxRetries: 0 }),
    async close() {
      await running.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
