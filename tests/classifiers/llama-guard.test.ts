import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLlamaGuardClassifier } from '../../src/classifiers/llama-guard/llama-guard-classifier.js';
import { CHAT_PATH, markerLlamaGuardReply, startFakeOllamaServer, type FakeOllamaServer } from '../support/fake-ollama-server.js';

let server: FakeOllamaServer;

beforeAll(async () => {
  server = await startFakeOllamaServer();
});
afterAll(() => server.close());
afterEach(() => {
  server.reset();
  server.setReply(markerLlamaGuardReply);
});

const make = () => createLlamaGuardClassifier({ host: server.host, timeoutMs: 2_000, keepAlive: '30m' });

describe('llama-guard adapter against a fake Ollama', () => {
  it('sends the user turn for input classification, unstreamed, at temperature 0', async () => {
    const outcome = await make().classify({ text: 'how do I bake bread?', stage: 'input' });
    expect(outcome).toMatchObject({ status: 'ok', scores: { unsafe: 0, sexual: 0, 'sexual/minors': 0, hate: 0 } });
    const [req] = server.chatRequests();
    expect(req?.chat).toMatchObject({
      model: 'llama-guard3:8b',
      messages: [{ role: 'user', content: 'how do I bake bread?' }],
      stream: false,
      keep_alive: '30m',
    });
    expect(req?.chat.options?.temperature).toBe(0);
  });

  it('sends prompt and reply as user and assistant for output classification', async () => {
    await make().classify({ text: 'Go to the zoo and steal one!', stage: 'output', context: { prompt: 'How can I adopt my own llama?' } });
    expect(server.chatRequests()[0]?.chat.messages).toEqual([
      { role: 'user', content: 'How can I adopt my own llama?' },
      { role: 'assistant', content: 'Go to the zoo and steal one!' },
    ]);
  });

  it('maps every violated code, marks the scores as verdicts and keeps codes as evidence', async () => {
    server.setReply(() => 'unsafe\nS1,S12');
    const text = 'some text';
    const outcome = await make().classify({ text, stage: 'input' });
    expect(outcome.status).toBe('ok');
    if (outcome.status !== 'ok') return;
    expect(outcome.scores).toMatchObject({ unsafe: 1, violence: 1, 'illicit/violent': 1, sexual: 1, 'sexual/minors': 0, hate: 0 });
    expect(new Set(outcome.verdictOnly)).toEqual(new Set(Object.keys(outcome.scores)));
    expect(outcome.evidence?.map((e) => `${e.category}:${e.match}`).sort()).toEqual(['illicit/violent:S1', 'sexual:S12', 'violence:S1']);
    for (const e of outcome.evidence ?? []) expect([e.start, e.end, e.source]).toEqual([0, text.length, 'llama-guard']);
  });

  it('keeps sexual/minors (S4) and non-consensual (S3) apart from sexual', async () => {
    server.setReply(() => 'unsafe\nS4');
    expect(await make().classify({ text: 'x', stage: 'input' })).toMatchObject({ scores: { 'sexual/minors': 1, sexual: 0 } });
    server.setReply(() => 'unsafe\nS3');
    expect(await make().classify({ text: 'x', stage: 'input' })).toMatchObject({ scores: { 'sexual/non-consensual': 1, sexual: 0 } });
  });

  it('keeps an unknown code as evidence without mapping it, and leaves other categories unknown', async () => {
    server.setReply(() => 'unsafe\nS15');
    const outcome = await make().classify({ text: 'x', stage: 'input' });
    expect(outcome).toMatchObject({ status: 'ok', scores: { unsafe: 1 }, evidence: [{ category: 'unsafe', match: 'S15' }] });
    if (outcome.status === 'ok') expect(outcome.scores.sexual).toBeUndefined();
  });

  it('reads a sloppy verdict', async () => {
    server.setReply(() => '\n  UNSAFE \n s10 , s11 \n(explanation follows)');
    expect(await make().classify({ text: 'x', stage: 'input' })).toMatchObject({ scores: { hate: 1, 'self-harm': 1, unsafe: 1 } });
  });

  it('fails as bad_response on garbage and never logs', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));
    server.setReply(() => 'As an AI model I think this is fine.');
    expect(await make().classify({ text: 'x', stage: 'input' })).toMatchObject({ status: 'failed', error: { code: 'bad_response' } });
    server.always(CHAT_PATH, { kind: 'malformed', status: 500, body: '<html>oops</html>', contentType: 'text/html' });
    expect(await make().classify({ text: 'x', stage: 'input' })).toMatchObject({ status: 'failed', error: { code: 'upstream_error', message: expect.stringContaining('500') } });
    for (const s of spies) {
      expect(s).not.toHaveBeenCalled();
      s.mockRestore();
    }
  });

  it('says which model to pull when Ollama does not have it', async () => {
    const outcome = await createLlamaGuardClassifier({ host: server.host, model: 'llama-guard3:70b' }).classify({ text: 'x', stage: 'input' });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'upstream_error', message: expect.stringContaining('ollama pull llama-guard3:70b') } });
  });

  it('times out a slow model and aborts the request', async () => {
    server.always(CHAT_PATH, { kind: 'delay', ms: 2_000 });
    const outcome = await createLlamaGuardClassifier({ host: server.host, timeoutMs: 100 }).classify({ text: 'x', stage: 'input' });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
    expect(outcome.latencyMs).toBeLessThan(1_000);
  });
});
