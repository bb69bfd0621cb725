// Streaming and the audit trail: no text leaves the guard before a durable record of the check
// that let it out, and a sink that fails mid-stream stops the stream (fail closed).
import { describe, expect, it } from 'vitest';
import { createGuard, type GuardedChunk } from '../../src/guard/index.js';
import type { Decision } from '../../src/decision/decision.js';
import { withFakeUpstreams } from '../support/with-fake-upstreams.js';
import { contentOf, defaultClassifiers, NOW, OPENAI_KEY_ENV, testPolicy } from './guard-fixtures.js';

const { openai, ollama } = await withFakeUpstreams({ apiKey: 'sk-test' });

const ANSWER = 'Rivers run to the sea. The hills are green in spring. We walk along the shore at noon, and the gulls call out. '.repeat(3);

async function guardWith(record: (d: Decision) => Promise<void>) {
  return createGuard({
    policy: testPolicy({ openaiBaseURL: openai.baseURL, ollamaHost: ollama.host }),
    classifiers: defaultClassifiers().resolver,
    env: { [OPENAI_KEY_ENV]: 'sk-test' },
    clock: () => NOW,
    audit: { record },
    providerOptions: { maxRetries: 0, timeoutMs: 2_000 },
  });
}

describe('guarded streams and the audit trail', () => {
  it('records a covering output check before each piece of text is released', async () => {
    openai.setScript({ text: ANSWER });
    const outputRecords: Decision[] = [];
    const guard = await guardWith(async (d) => {
      if (d.stage === 'output') outputRecords.push(d);
    });
    const stream = await guard.chat({ stream: true, messages: [{ role: 'user', content: 'Describe a walk.' }] });
    let released = 0;
    const chunks: GuardedChunk[] = [];
    for await (const c of stream) {
      const text = c.choices[0]?.delta.content ?? '';
      if (text !== '') {
        released += text.length;
        // Every release is preceded by at least one durable output record.
        expect(outputRecords.length).toBeGreaterThan(0);
      }
      chunks.push(c);
    }
    expect(contentOf(chunks)).toBe(ANSWER);
    expect(released).toBe(ANSWER.length);
    expect(outputRecords.length).toBeGreaterThan(1);
  });

  it('stops releasing when the sink fails mid-stream, and ends with a refusal', async () => {
    openai.setScript({ text: ANSWER });
    let outputs = 0;
    const guard = await guardWith(async (d) => {
      if (d.stage === 'output' && ++outputs >= 2) throw new Error('disk full');
    });
    const stream = await guard.chat({ stream: true, messages: [{ role: 'user', content: 'Describe a walk.' }] });
    const chunks: GuardedChunk[] = [];
    for await (const c of stream) chunks.push(c);
    const last = chunks[chunks.length - 1];
    expect(last?.choices[0]?.finish_reason).toBe('content_filter');
    expect(stream.saferoute.blocked?.reason).toBe('audit_failed');
    // Only what the one recorded check covered was released.
    expect(contentOf(chunks).length).toBeLessThan(ANSWER.length);
  });
});
