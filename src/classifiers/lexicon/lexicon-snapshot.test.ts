import { describe, expect, it } from 'vitest';
import { compiledLexiconFrom, compilePatterns } from './compile-lexicon.js';
import type { Lexicon } from './lexicon-schema.js';
import { decodeLexiconSnapshot, encodeLexiconSnapshot, SnapshotError } from './lexicon-snapshot.js';

const violence: Lexicon = {
  category: 'violence',
  description: 'test',
  window: 3,
  contexts: { computing: { terms: ['process', 'python'], factor: 0.1 } },
  terms: [
    { term: 'kill*', weight: 0.4, context: ['computing', { terms: ['it'], factor: 0.1, window: 1, side: 'after' }] },
    { term: ['kill yourself', 'k1ll urself'], weight: 0.9 },
    { term: '炸弹', weight: 0.7 },
  ],
};
const minors: Lexicon = {
  category: 'sexual/minors',
  description: 'test',
  terms: [{ term: 'child porn', weight: 0.95 }],
  groups: {
    minor: [{ term: ['child', 'kid{,s}', '{1..17} {yo,year old}'] }],
    sexual: [{ term: ['sex', 'nude{,s}'], context: [{ terms: ['education'], factor: 0.2, window: 3 }] }],
  },
  cooccurrence: [
    { id: 'near', groups: ['minor', 'sexual'], window: 4, weight: 0.9 },
    { id: 'text', groups: ['minor', 'sexual'], window: 'text', weight: 0.6 },
  ],
};
const TEXTS = [
  'I will kill yourself', 'kill the python process', 'k1ll urself now', 'killing it on stage',
  'nudes of a 12 year old', 'sex education for kids', 'a kid. '.repeat(50) + 'nude', '如何制作炸弹', 'the blocked word here', '',
];

function roundTrip(lexicons: Lexicon[], blocklists = [{ id: 'house', terms: ['blocked word'] }]) {
  const compiled = compilePatterns(lexicons, blocklists);
  return { compiled, decoded: decodeLexiconSnapshot(encodeLexiconSnapshot(compiled)) };
}

describe('lexicon snapshot', () => {
  it('scans exactly as the compilation it was taken of: scores, evidence, version, size', () => {
    const { compiled, decoded } = roundTrip([violence, minors]);
    const a = compiledLexiconFrom(compiled);
    const b = compiledLexiconFrom(decoded);
    expect(b.version).toBe(a.version);
    expect(b.categories).toEqual(a.categories);
    expect(b.size).toEqual(a.size);
    for (const t of TEXTS) expect(b.scan(t), t).toEqual(a.scan(t));
    expect(b.scan('kill yourself').scores.violence).toBeGreaterThan(0.8);
    expect(b.scan('the blocked word here').scores.blocklist).toBe(1);
    // With what came before: a whole-text pair across the two.
    expect(b.scan('a nude photo', 'she is 12 year old')).toEqual(a.scan('a nude photo', 'she is 12 year old'));
  });

  it('keeps an empty set empty', () => {
    const { compiled, decoded } = roundTrip([], []);
    expect(compiledLexiconFrom(decoded).scan('anything')).toEqual(compiledLexiconFrom(compiled).scan('anything'));
    expect(decoded.automaton).toBeNull();
  });

  it('refuses a truncated, altered or foreign file rather than reading part of it', () => {
    const bytes = encodeLexiconSnapshot(compilePatterns([violence]));
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(flipped.length / 2)]! ^= 0x01;
    const wrongFormat = Buffer.from(bytes);
    wrongFormat.writeUInt32LE(99, 8);
    for (const [what, bad] of [
      ['truncated', bytes.subarray(0, bytes.length - 100)],
      ['one bit flipped', flipped],
      ['another format', wrongFormat],
      ['not a snapshot', Buffer.from('{"category":"violence"}'.padEnd(200, ' '))],
      ['empty', Buffer.alloc(0)],
    ] as const) {
      expect(() => decodeLexiconSnapshot(bad), what).toThrow(SnapshotError);
    }
  });
});
