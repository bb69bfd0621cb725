import { validatePolicyObjectOrThrow } from '../policy/load-policy.js';
import { describe, expect, it } from 'vitest';
import { decide } from '../decision/decide.js';
import type { Decision } from '../decision/decision.js';
import type { EvaluablePolicy } from '../policy/evaluate-policy.js';
import type { ProviderStreamEvent } from '../providers/chat-provider.js';
import { ProviderError } from '../providers/provider-error.js';
import { createPiiClassifier } from '../classifiers/pii/index.js';
import type { Classifier, Evidence } from '../classifiers/classifier.js';
import { holdBackText, type HoldBackEvent, type HoldBackOptions } from './hold-back-text.js';
import { createSeededRandom } from '../util/seeded-random.js';

const marker: Classifier & { windows: string[] } = {
  id: 'marker',
  version: '1',
  categories: ['sexual/minors'],
  windows: [],
  async classify(input) {
    marker.windows.push(input.text);
    const i = input.text.indexOf('FORBIDDEN');
    const evidence: Evidence[] = i >= 0 ? [{ category: 'sexual/minors', start: i, end: i + 9, match: 'FORBIDDEN', source: 'marker' }] : [];
    return { status: 'ok', scores: { 'sexual/minors': i >= 0 ? 1 : 0 }, evidence, latencyMs: 0 };
  },
};
const pii = createPiiClassifier();

const policy: EvaluablePolicy = validatePolicyObjectOrThrow(
  {
    id: 'p',
    revision: '1',
    classifiers: { input: ['marker', 'pii'], output: ['marker', 'pii'] },
    targets: { sfw: { provider: 'openai', model: 'm' } },
    rules: [
      { id: 'block', description: 'd', stage: 'both', when: { score: 'sexual/minors', gte: 0.5 }, effect: { action: 'block', reason: 'minors' } },
      { id: 'redact', description: 'd', stage: 'output', when: { score: 'pii', gte: 0.5 }, effect: { action: 'redact', categories: ['pii'] } },
    ],
    defaults: { route: 'sfw' },
  },
  { classifiers: { marker: ['sexual/minors', 'sexual', 'hate'] } },
);

const check = (text: string): Promise<Decision> =>
  decide({ text, stage: 'output', servedTarget: 'sfw', now: '2026-11-28T12:00:00Z' }, policy, { classifiers: [marker, pii] });

async function* source(pieces: readonly string[], end: 'done' | 'error' = 'done'): AsyncGenerator<ProviderStreamEvent> {
  for (const text of pieces) yield { type: 'delta', text };
  if (end === 'error') throw new ProviderError('fake', 'connection', 'dropped');
  yield { type: 'done', model: 'm', toolCalls: [], finishReason: 'stop' };
}

async function run(pieces: readonly string[], o: Partial<HoldBackOptions> = {}): Promise<{ released: string; end: Extract<HoldBackEvent, { type: 'end' }>; aborted: number; texts: string[] }> {
  let aborted = 0;
  const texts: string[] = [];
  let end: Extract<HoldBackEvent, { type: 'end' }> | undefined;
  for await (const e of holdBackText(source(pieces), {
    mode: 'hold-back',
    holdBackChars: 24,
    checkEveryChars: 16,
    check,
    abortUpstream: () => aborted++,
    ...o,
  })) {
    if (e.type === 'text') texts.push(e.text);
    else end = e;
  }
  if (!end) throw new Error('no end event');
  return { released: texts.join('') + end.tail, end, aborted, texts };
}

function split(text: string, rand: () => number, max: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    const n = 1 + Math.floor(rand() * max);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

const prng = createSeededRandom;

const SAFE = 'The weather is mild today. Rivers run to the sea, and the hills are green. We walk along the shore at noon. ';

describe('holdBackText', () => {
  it('releases a clean answer whole, each piece only after a check covering it passed', async () => {
    marker.windows.length = 0;
    const text = Array.from({ length: 30 }, (_, i) => `Sentence number ${i} is here`).join('; ') + '.';
    const { released, end, texts } = await run(split(text, prng(1), 7));
    expect(released).toBe(text);
    expect(end.outcome).toBe('done');
    expect(end.stats.releasedChars).toBe(text.length);
    // Every released piece lies inside a window that was checked before it was released.
    let offset = 0;
    for (const piece of texts) {
      const covered = marker.windows.some((w) => {
        const at = text.indexOf(w);
        return at >= 0 && at <= offset && at + w.length >= offset + piece.length;
      });
      expect(covered).toBe(true);
      offset += piece.length;
    }
  });

  it('keeps the last holdBackChars unreleased until the end', async () => {
    const text = SAFE;
    const pieces = split(text, prng(2), 5);
    let releasedBeforeEnd = 0;
    for await (const e of holdBackText(source(pieces), { mode: 'hold-back', holdBackChars: 24, checkEveryChars: 16, check, abortUpstream: () => undefined })) {
      if (e.type === 'text') releasedBeforeEnd += e.text.length;
      else expect(e.tail.length).toBeGreaterThanOrEqual(24);
    }
    expect(releasedBeforeEnd).toBeLessThanOrEqual(text.length - 24);
  });

  it('never releases a byte at or after a violation, whatever the chunking (300 random streams)', async () => {
    const rand = prng(42);
    for (let round = 0; round < 300; round++) {
      const before = SAFE.slice(0, Math.floor(rand() * SAFE.length)) + SAFE.slice(0, Math.floor(rand() * 40));
      const text = `${before}FORBIDDEN and the rest of a long answer that must never be seen.`;
      const holdBackChars = 9 + Math.floor(rand() * 40);
      const checkEveryChars = 1 + Math.floor(rand() * 60);
      const { released, end, aborted } = await run(split(text, rand, 1 + Math.floor(rand() * 20)), { holdBackChars, checkEveryChars });
      expect(end.outcome).toBe('blocked');
      expect(aborted).toBe(1);
      expect(end.tail).toBe('');
      expect(text.startsWith(released)).toBe(true);
      expect(released.length).toBeLessThanOrEqual(before.length);
      expect(released).not.toContain('FORB');
    }
  });

  it('releases the first text as soon as the hold-back window is full, not a check interval later', async () => {
    const pieces = Array.from({ length: 40 }, () => 'abcd ');
    let deltasBeforeFirstRelease = -1;
    let seen = 0;
    async function* counted(): AsyncGenerator<ProviderStreamEvent> {
      for await (const e of source(pieces)) {
        if (e.type === 'delta') seen++;
        yield e;
      }
    }
    for await (const e of holdBackText(counted(), { mode: 'hold-back', holdBackChars: 24, checkEveryChars: 1000, check, abortUpstream: () => undefined })) {
      if (e.type === 'text' && deltasBeforeFirstRelease < 0) deltasBeforeFirstRelease = seen;
    }
    // 5 pieces of 5 characters make 25 > 24: one character is releasable, but it is half a word;
    // the sixth piece makes the first word ("abcd ") releasable, and it goes out at once.
    expect(deltasBeforeFirstRelease).toBe(6);
  });

  it('catches a violation straddling a check boundary', async () => {
    // A check runs after 16 characters: it sees "…FORB" and passes; the next check sees the whole word.
    const text = 'ok ok ok ok FORBIDDEN tail';
    const pieces = [text.slice(0, 16), text.slice(16)];
    const { released, end } = await run(pieces, { holdBackChars: 12, checkEveryChars: 16 });
    expect(end.outcome).toBe('blocked');
    // Released up to the last word boundary before the held-back part: no half word goes out.
    expect(released).toBe('ok ');
    expect(end.stats.checks).toBe(2);
  });

  it('redacts personal data split across pieces before it is released', async () => {
    const text = `${SAFE}Write to jane.doe@example.com for details. ${SAFE}`;
    const { released, end } = await run(split(text, prng(7), 3));
    expect(end.outcome).toBe('done');
    expect(released).toContain('[EMAIL]');
    expect(released).not.toContain('@');
    expect(released).not.toContain('jane');
    expect(end.redacted).toEqual(['pii']);
    expect(released.replace('[EMAIL]', 'jane.doe@example.com')).toBe(text);
  });

  it('releases first and checks after in progressive mode, and says so', async () => {
    const text = `${SAFE}FORBIDDEN${SAFE}`;
    const { released, end } = await run(split(text, prng(3), 6), { mode: 'progressive' });
    expect(end.outcome).toBe('blocked');
    expect(released).toContain('FORB');
    expect(end.stats.releasedChars).toBe(released.length);
  });

  it('never splits a surrogate pair at the release point', async () => {
    const text = `${'a'.repeat(15)}😀${'b'.repeat(40)}`;
    for (let h = 20; h < 30; h++) {
      const { texts, released } = await run([...text], { holdBackChars: h, checkEveryChars: 1 });
      expect(released).toBe(text);
      for (const t of texts) expect(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(t)).toBe(false);
    }
  });

  it('checks tool calls with the final window', async () => {
    const events: ProviderStreamEvent[] = [
      { type: 'delta', text: 'Calling a tool.' },
      { type: 'done', model: 'm', toolCalls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"q":"FORBIDDEN"}' } }], finishReason: 'tool_calls' },
    ];
    async function* s(): AsyncGenerator<ProviderStreamEvent> {
      yield* events;
    }
    const out: HoldBackEvent[] = [];
    for await (const e of holdBackText(s(), {
      mode: 'hold-back',
      holdBackChars: 24,
      checkEveryChars: 200,
      check,
      abortUpstream: () => undefined,
      toolCallText: (done) => done.toolCalls.map((c) => c.function.arguments).join('\n'),
    })) out.push(e);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ type: 'end', outcome: 'blocked', tail: '' });
  });

  it('withholds the unchecked tail when the upstream fails mid-stream', async () => {
    const texts: string[] = [];
    const run2 = async (): Promise<void> => {
      for await (const e of holdBackText(source(split(SAFE, prng(5), 4), 'error'), { mode: 'hold-back', holdBackChars: 24, checkEveryChars: 16, check, abortUpstream: () => undefined })) {
        if (e.type === 'text') texts.push(e.text);
      }
    };
    await expect(run2()).rejects.toMatchObject({ code: 'provider_failed', failure: 'connection' });
    expect(texts.join('').length).toBeLessThanOrEqual(SAFE.length - 24);
  });

  it('fails closed when a redaction has no span to apply', async () => {
    const noSpan: Classifier = { id: 'n', version: '1', categories: ['pii'], classify: async () => ({ status: 'ok', scores: { pii: 1 }, latencyMs: 0 }) };
    const { end, released } = await run(['a short answer'], {
      check: (text) => decide({ text, stage: 'output', servedTarget: 'sfw', now: '2026-11-28T12:00:00Z' }, policy, { classifiers: [noSpan] }),
    });
    expect(end).toMatchObject({ outcome: 'blocked', failClosed: { reason: 'redaction_unavailable', categories: ['pii'] } });
    expect(released).toBe('');
  });
});
