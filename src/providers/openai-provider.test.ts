import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAIProvider } from './openai-provider.js';
import { ProviderError } from './provider-error.js';

/** A port on 127.0.0.1 that nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address == null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const request = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }], params: {} };
const saved = process.env['OPENAI_BASE_URL'];

afterEach(() => {
  if (saved === undefined) delete process.env['OPENAI_BASE_URL'];
  else process.env['OPENAI_BASE_URL'] = saved;
});

describe('openai provider errors name the server really called', () => {
  it('names the OPENAI_BASE_URL the SDK used, not the default', async () => {
    const base = `http://127.0.0.1:${await closedPort()}/v1`;
    process.env['OPENAI_BASE_URL'] = base;
    const provider = createOpenAIProvider({ apiKey: 'sk-test-key-123', maxRetries: 0, timeoutMs: 5_000 });
    const error = await provider.complete(request).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).failure).toBe('connection');
    expect((error as ProviderError).message).toContain(`cannot reach openai at \`${base}\``);
    expect((error as ProviderError).message).not.toContain('api.openai.com');
  });

  it('names the baseURL option when one is given, for streams too', async () => {
    process.env['OPENAI_BASE_URL'] = 'http://127.0.0.1:1/elsewhere';
    const base = `http://127.0.0.1:${await closedPort()}/v1`;
    const provider = createOpenAIProvider({ baseURL: base, maxRetries: 0, timeoutMs: 5_000 });
    await expect(provider.stream(request)).rejects.toThrow(`cannot reach openai at \`${base}\``);
  });
});
