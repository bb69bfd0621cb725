import { afterAll, beforeEach } from 'vitest';
import { startFakeOllamaChatServer, startFakeOpenAIChatServer, type FakeOllamaChatServer, type FakeOpenAIChatServer } from './fake-chat-upstreams.js';

export interface FakeUpstreams {
  /** Answers only requests carrying `Authorization: Bearer <apiKey>`. */
  openai: FakeOpenAIChatServer;
  ollama: FakeOllamaChatServer;
}

/**
 * A fake OpenAI and a fake Ollama chat server for one test file, started at once (call it at the
 * top of the file: `const { openai, ollama } = await withFakeUpstreams({ apiKey: 'sk-test' })`),
 * closed after the file, and cleared before each test: request logs, scripted behaviours and
 * chat scripts.
 */
export async function withFakeUpstreams(options: { apiKey: string }): Promise<FakeUpstreams> {
  const openai = await startFakeOpenAIChatServer({ apiKey: options.apiKey });
  const ollama = await startFakeOllamaChatServer();
  afterAll(async () => {
    await openai.close();
    await ollama.close();
  });
  beforeEach(() => {
    openai.reset();
    ollama.reset();
    openai.setScript({});
    ollama.setScript({});
  });
  return { openai, ollama };
}
