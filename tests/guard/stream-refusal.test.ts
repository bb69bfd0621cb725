import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/cli/command.js';
import { chatCommand } from '../../src/cli/commands/chat.js';
import type { Decision } from '../../src/decision/decision.js';
import { createGuard, type GuardedChunk } from '../../src/guard/index.js';
import { withFakeUpstreams } from '../support/with-fake-upstreams.js';
import { contentOf, defaultClassifiers, NOW, OPENAI_KEY_ENV, prng, testPolicy } from './guard-fixtures.js';

/**
 * How a stream that is blocked mid-answer ends: the text released before the block stops at a
 * word (or, for a very long word, a grapheme) boundary, never `…Once upon a ti`; the refusal comes
 * in its own chunk carrying the decision's id; `saferoute chat` prints it on a line of its own.
 */
const { openai, ollama } = await withFakeUpstreams({ apiKey: 'sk-test' });
const env = { [OPENAI_KEY_ENV]: 'sk-test' };
const WORDS = new Intl.Segmenter(undefined, { granularity: 'word' });
const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const boundaries = (segmenter: Intl.Segmenter, text: string): Set<number> => new Set([...[...segmenter.segment(text)].map((s) => s.index), text.length]);

async function collect(stream: AsyncIterable<GuardedChunk>): Promise<GuardedChunk[]> {
  const out: GuardedChunk[] = [];
  for await (const c of stream) out.push(c);
  return out;
}

const STORIES = [
  'Once upon a time there was a little fox who lived at the edge of an old forest near the river. Once upon a time FORBIDDEN things happened and the rest stays hidden.',
  'Le renard habitait près de la rivière, où les enfants jouaient l’été entier sans jamais se lasser des jeux anciens. Puis vint FORBIDDEN et la suite reste cachée.',
  '狐狸住在古老森林边缘的河边，孩子们整个夏天都在那里玩耍，从来不厌倦那些古老的游戏和故事。然后FORBIDDEN出现了，后面的内容不能显示。',
  'Family 👨‍👩‍👧‍👦 picnic 🧺 by the river 🏞️ with café au lait ☕ and crème brûlée 🍮 for everyone 👍🏽 today 🎉 and then FORBIDDEN 🙈 hidden tail 🙈.',
];

describe('a stream blocked mid-answer', () => {
  it.each(STORIES.map((s, i) => [i, s] as const))('releases text only up to a word boundary (story %i), for any chunking', async (i, story) => {
    const { marker, resolver } = defaultClassifiers();
    const guard = await createGuard({
      policy: testPolicy({ openaiBaseURL: openai.baseURL, ollamaHost: ollama.host }),
      classifiers: resolver,
      env,
      clock: () => NOW,
      providerOptions: { maxRetries: 0 },
    });
    const words = boundaries(WORDS, story);
    const graphemes = boundaries(GRAPHEMES, story);
    const rand = prng(100 + i);
    let releasedSomething = false;
    for (let round = 0; round < 10; round++) {
      const pieces: string[] = [];
      for (let at = 0; at < story.length; ) {
        const n = 1 + Math.floor(rand() * 9);
        pieces.push(story.slice(at, at + n));
        at += n;
      }
      openai.setScript({ text: story, pieces });
      const chunks = await collect(await guard.chat({ stream: true, messages: [{ role: 'user', content: 'a story' }] }));
      const content = contentOf(chunks);
      expect(story.startsWith(content)).toBe(true);
      expect(content).not.toContain('FORB');
      expect(graphemes.has(content.length)).toBe(true);
      expect(words.has(content.length)).toBe(true);
      releasedSomething ||= content.length > 20;
    }
    expect(releasedSomething).toBe(true);
    expect(marker.seen.length).toBeGreaterThan(0);
  });

  it('ends with a refusal chunk that carries the id of the recorded decision that blocked', async () => {
    openai.setScript({ text: STORIES[0] as string, delayMs: 1 });
    const recorded: Decision[] = [];
    const guard = await createGuard({
      policy: testPolicy({ openaiBaseURL: openai.baseURL, ollamaHost: ollama.host }),
      classifiers: defaultClassifiers().resolver,
      env,
      clock: () => NOW,
      audit: { record: async (d) => void recorded.push(d) },
    });
    const chunks = await collect(await guard.chat({ stream: true, messages: [{ role: 'user', content: 'a story' }] }));
    const last = chunks.at(-1) as GuardedChunk;
    expect(last.choices[0]).toMatchObject({ delta: { refusal: 'This request cannot be processed.' }, finish_reason: 'content_filter' });
    expect(last.choices[0]?.delta.content ?? '').toBe('');
    const blocking = recorded.at(-1) as Decision;
    expect(blocking).toMatchObject({ stage: 'output', outcome: 'block' });
    expect(last.saferoute?.blocked?.decisionId).toBe(blocking.decisionId);
    expect(last.saferoute?.outputDecisionId).toBe(blocking.decisionId);
    expect(last.saferoute?.decisions.output?.decisionId).toBe(blocking.decisionId);
  });
});

describe('saferoute chat --stream', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('prints the refusal on its own line, after whole words', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sr-refusal-'));
    dirs.push(dir);
    const policy = {
      id: 'cli-refusal',
      revision: '1',
      classifiers: { input: ['pii'], output: ['pii'] },
      targets: { sfw: { provider: 'openai', model: 'gpt-4o-mini', baseURL: openai.baseURL, apiKeyEnv: 'CLI_KEY' } },
      blocklists: [{ id: 'banned', terms: ['zorblax'] }],
      rules: [{ id: 'block-banned', description: 'd', stage: 'both', when: { blocklist: 'banned' }, effect: { action: 'block', reason: 'banned_term', message: 'nope' } }],
      defaults: { route: 'sfw' },
      output: { streaming: { holdBackChars: 20, checkEveryChars: 10 } },
      messages: { nope: 'This request cannot be processed.' },
    };
    await writeFile(join(dir, 'policy.json'), JSON.stringify(policy));
    const story = 'Once upon a time there was a quiet village by the sea where nothing ever happened, until a zorblax came along and ruined it all.';
    openai.setScript({ text: story, pieces: story.match(/[\s\S]{1,3}/g) ?? [] });
    const stdout = new PassThrough();
    const out: Buffer[] = [];
    stdout.on('data', (c: Buffer) => out.push(c));
    const ctx: CommandContext = { stdout, stderr: new PassThrough(), cwd: dir, env: { CLI_KEY: 'sk-test', NO_COLOR: '1' } };
    const code = await chatCommand.run(['--policy', 'policy.json', '--stream', 'tell me a story'], ctx);
    const text = Buffer.concat(out).toString('utf8');
    expect(code).toBe(1);
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.at(-2)).toBe('[refused] This request cannot be processed.');
    const released = lines.slice(0, -2).join('\n');
    expect(released.length).toBeGreaterThan(20);
    expect(story.startsWith(released)).toBe(true);
    expect(boundaries(WORDS, story).has(released.length)).toBe(true);
  });
});
