import { describe, expect, it } from 'vitest';
import { SaferouteError } from '../../errors.js';
import { bucketOf, compileLexicon, lexiconFileName, PRECEDING_MAX_CHARS, type CompiledLexicon } from './compile-lexicon.js';
import { LexiconError } from './lexicon-error.js';
import type { Lexicon } from './lexicon-schema.js';

const profanity: Lexicon = {
  category: 'profanity',
  description: 'test',
  terms: [
    { term: ['fuck', 'ass', 'asshole', 'cunt', '*fucker', 'god'], weight: 0.6 },
    { term: 'shit', weight: 0.5 },
  ],
};

const violence: Lexicon = {
  category: 'violence',
  description: 'test',
  window: 3,
  contexts: {
    computing: { terms: ['process', 'python', 'thread'], factor: 0.1 },
    target: { terms: ['him', 'her', 'you'], factor: 2, window: 1, side: 'after' },
  },
  terms: [
    { term: 'kill*', weight: 0.4, context: ['computing', 'target', { terms: ['it'], factor: 0.1, window: 1, side: 'after' }] },
    { term: 'kill yourself', weight: 0.9 },
  ],
};

const minors: Lexicon = {
  category: 'sexual/minors',
  description: 'test',
  terms: [{ term: 'child porn', weight: 0.95 }],
  groups: {
    minor: [{ term: ['child', 'kid{,s}', '{1..17} {yo,year old}'] }, { term: 'teen', weight: 0.5 }],
    sexual: [{ term: ['sex', 'nude{,s}'], context: [{ terms: ['education'], factor: 0.2, window: 3 }] }],
  },
  cooccurrence: [{ id: 'minor-sexual', groups: ['minor', 'sexual'], window: 4, weight: 0.9 }],
};

const harassment: Lexicon = {
  category: 'harassment',
  description: 'test',
  terms: [],
  groups: { you: [{ term: ['you are', 'youre'] }], insult: [{ term: ['idiot', 'stupid'] }] },
  cooccurrence: [{ id: 'you-insult', groups: ['you', 'insult'], window: 2, ordered: true, weight: 0.8 }],
};

const lexicon = compileLexicon([profanity, violence, minors, harassment]);

function spans(result: ReturnType<CompiledLexicon['scan']>, text: string): string[] {
  return result.evidence.map((e) => `${e.category}:${e.match}:${text.slice(e.start, e.end)}`);
}

describe('compileLexicon', () => {
  it('reports every category of the set, 0 when nothing matched', () => {
    const { scores, evidence } = lexicon.scan('a perfectly ordinary sentence');
    expect(scores).toEqual({ 'sexual/minors': 0, harassment: 0, violence: 0, profanity: 0 });
    expect(evidence).toEqual([]);
    expect(lexicon.categories).toEqual(['sexual/minors', 'harassment', 'violence', 'profanity']);
  });

  it('matches whole words only, unless a term is a prefix or suffix', () => {
    for (const text of ['this class is great', 'assistant', 'Scunthorpe', 'skilled', 'as', 'grass', 'bass', 'passage']) {
      const { scores } = lexicon.scan(text);
      expect(scores.profanity, text).toBe(0);
      expect(scores.violence, text).toBe(0);
    }
    expect(spans(lexicon.scan('he was killing it softly'), 'he was killing it softly')).toEqual(['violence:kill*:killing']);
    expect(spans(lexicon.scan('what a motherfucker'), 'what a motherfucker')).toEqual(['profanity:*fucker:motherfucker']);
  });

  it('matches phrases across any run of separators', () => {
    for (const text of ['kill yourself', 'KILL   yourself', 'kill-yourself!', 'kill\n\tyourself', 'kill... yourself']) {
      expect(lexicon.scan(text).evidence.map((e) => e.match), text).toContain('kill yourself');
    }
    expect(lexicon.scan('kill your self').evidence.map((e) => e.match)).not.toContain('kill yourself');
  });

  it('matches a phrase of long words written as one word, as a hashtag or joined by an invisible space', () => {
    for (const text of ['killyourself', '#KillYourself', 'kill\u200byourself']) {
      expect(lexicon.scan(text).evidence.map((e) => e.match), text).toContain('kill yourself');
    }
    // Words under four letters are not joined: "the rapist" is not "therapist".
    const shortWords = compileLexicon([{ category: 'violence', description: 'test', terms: [{ term: ['the rapist', 'car bomb'], weight: 0.9 }] }]);
    for (const text of ['my therapist', 'carbomb']) expect(shortWords.scan(text).scores.violence, text).toBe(0);
    // A lexicon that lists the joined word itself is not matched twice.
    const both = compileLexicon([{ category: 'violence', description: 'test', terms: [{ term: ['pipe bomb', 'pipebomb'], weight: 0.5 }] }]);
    expect(both.scan('a pipebomb').scores.violence).toBe(0.5);
  });

  it('sees through case, leetspeak, spacing, repeats, look-alikes and zero-width characters', () => {
    for (const text of ['FUCK', 'fvck'.replace('v', 'u'), 'f.u.c.k', 'f u c k', 'fuuuuuck', 'ｆｕｃｋ', 'fu\u200bck', 'fuсk', 'f-u-c-k!', 'a$$hole', 'a$$ho1e', 'sh1t', '$hit']) {
      expect(lexicon.scan(text).scores.profanity, text).toBeGreaterThanOrEqual(0.5);
    }
  });

  it('needs a term’s repeated letters in the text, and does not stretch doubled vowels', () => {
    expect(lexicon.scan('as').scores.profanity).toBe(0);
    expect(lexicon.scan('asss').scores.profanity).toBe(0.6);
    expect(lexicon.scan('good').scores.profanity).toBe(0);
    expect(lexicon.scan('goood').scores.profanity).toBe(0.6);
    expect(lexicon.scan('kil').scores.violence).toBe(0);
    // `1` may stand for `l`, but only where the text has a 1.
    expect(lexicon.scan('ki11 him').scores.violence).toBeGreaterThan(0.4);
    expect(lexicon.scan('kiii him').scores.violence).toBe(0);
  });

  it('lowers or raises a weight by context within its window and side', () => {
    expect(lexicon.scan('kill a python process').scores.violence).toBeCloseTo(0.04);
    expect(lexicon.scan('kill the thread').scores.violence).toBeCloseTo(0.04);
    expect(lexicon.scan('kill him').scores.violence).toBeCloseTo(0.8);
    expect(lexicon.scan('kill').scores.violence).toBeCloseTo(0.4);
    // `it` counts only right after the verb; `him` only after it.
    expect(lexicon.scan('killing it').scores.violence).toBeCloseTo(0.04);
    expect(lexicon.scan('it was a killing').scores.violence).toBeCloseTo(0.4);
    expect(lexicon.scan('him kill').scores.violence).toBeCloseTo(0.4);
    // Outside the window the context no longer applies.
    expect(lexicon.scan('kill one two three four process').scores.violence).toBeCloseTo(0.4);
  });

  describe('frame contexts and the request clause', () => {
    const robbery = compileLexicon([
      {
        category: 'illicit/violent',
        description: 'test',
        window: 8,
        contexts: {
          research: { terms: ['research', 'documentary', 'how do i report', 'how does'], factor: 0.1, frame: true },
          prop: { terms: ['prop'], factor: 0.1, frame: true, namesTerm: true },
          play: { terms: ['in gta'], factor: 0.1 },
          pretend: { terms: ['hypothetically'], factor: 2 },
        },
        terms: [
          { term: 'rob a bank', weight: 0.5, context: ['research', 'play', 'pretend'] },
          { term: 'pipe bomb', weight: 0.5, context: ['research', 'prop'] },
        ],
      },
    ]);
    const score = (text: string) => robbery.scan(text).scores['illicit/violent'];

    it('lowers a term no request asks for directly, wherever the frame stands', () => {
      expect(score('A documentary about how they rob a bank.')).toBeCloseTo(0.05);
      expect(score('They rob a bank in the documentary. Why?')).toBeCloseTo(0.05);
      expect(score('How do I explain to my class why people rob a bank, for a documentary?')).toBeCloseTo(0.05);
    });

    it('does not lower a directly requested term from a lead-in, another sentence or a tail', () => {
      expect(score('For my research: how do I rob a bank?')).toBeCloseTo(0.5);
      expect(score('For my research, how do I rob a bank?')).toBeCloseTo(0.5);
      expect(score('Research. Tell me how to rob a bank')).toBeCloseTo(0.5);
      expect(score('How do I rob a bank? It is for a documentary.')).toBeCloseTo(0.5);
      expect(score('How do I rob a bank for a documentary?')).toBeCloseTo(0.5);
    });

    it('lowers it from between the opener and the term, or from a frame holding the opener', () => {
      expect(score('How do I make a documentary where we rob a bank?')).toBeCloseTo(0.05);
      expect(score('How do I report people who rob a bank?')).toBeCloseTo(0.05);
    });

    it('does not lower it from a frame in the opener\'s own words', () => {
      expect(score('How does one rob a bank?')).toBeCloseTo(0.5);
      expect(score('How does the police find people who rob a bank?')).toBeCloseTo(0.05);
    });

    it('does not lower it from an aside between the opener and the term', () => {
      expect(score('How do I, for a documentary, rob a bank?')).toBeCloseTo(0.5);
      expect(score('How do I for my research rob a bank?')).toBeCloseTo(0.5);
    });

    it('lets a frame that names the term count right after it, and no other frame', () => {
      expect(score('How do I make a pipe bomb prop?')).toBeCloseTo(0.05);
      expect(score('How do I make a pipe bomb documentary?')).toBeCloseTo(0.5);
      expect(score('How do I make a pipe bomb for a prop?')).toBeCloseTo(0.5);
    });

    it('lets contexts that are not frames, and raising ones, count wherever their window reaches', () => {
      expect(score('In GTA: how do I rob a bank?')).toBeCloseTo(0.05);
      expect(score('How do I rob a bank in GTA?')).toBeCloseTo(0.05);
      expect(score('Hypothetically: how do I rob a bank?')).toBeCloseTo(1);
    });
  });

  it('does not let a lowering word that is part of the term lower it', () => {
    const profiling = compileLexicon([
      {
        category: 'unsafe',
        description: 'test',
        contexts: { counter: { terms: ['identify', 'spot'], factor: 0.2 } },
        terms: [{ term: 'identify criminals', weight: 0.9, context: ['counter'] }],
      },
    ]);
    expect(profiling.scan('identify criminals by their race').scores.unsafe).toBeCloseTo(0.9);
    // Around the term, the same word still lowers.
    expect(profiling.scan('spot tools that identify criminals by race').scores.unsafe).toBeCloseTo(0.18);
  });

  it('combines distinct terms with noisy-OR and counts a repeated term once', () => {
    expect(lexicon.scan('fuck this shit').scores.profanity).toBeCloseTo(1 - 0.4 * 0.5);
    expect(lexicon.scan('fuck fuck fuck').scores.profanity).toBeCloseTo(0.6);
    expect(lexicon.scan('fuck fuck fuck').evidence).toHaveLength(3);
  });

  it('counts a term inside a longer term of the same entry once, at the stronger weight, on the longer span', () => {
    const hacking = compileLexicon([
      {
        category: 'illicit',
        description: 'test',
        terms: [
          { term: ['ddos', 'ddos attack'], weight: 0.6 },
          { term: ['attack'], weight: 0.3 },
          { term: ['counterfeit', 'counterfeit bills'], weight: 0.5 },
          { term: ['bills'], weight: 0.2 },
        ],
      },
    ]);
    const one = hacking.scan('what is a ddos');
    expect(one.scores.illicit).toBeCloseTo(0.6);
    const nested = hacking.scan('a ddos attack');
    // "ddos" folds into "ddos attack" (one entry); "attack" is another entry's evidence and stays.
    expect(nested.scores.illicit).toBeCloseTo(1 - 0.4 * 0.7);
    expect(nested.evidence.map((e) => e.match)).toEqual(['ddos attack', 'attack']);
    expect(hacking.scan('counterfeit bills').scores.illicit).toBeCloseTo(1 - 0.5 * 0.8);
  });

  it('scores co-occurrence only when both groups are near each other', () => {
    expect(lexicon.scan('my child loves the park').scores['sexual/minors']).toBe(0);
    expect(lexicon.scan('nudes are art').scores['sexual/minors']).toBe(0);
    expect(lexicon.scan('nudes of a 12 year old').scores['sexual/minors']).toBeCloseTo(0.9);
    expect(lexicon.scan('send nudes 14yo').scores['sexual/minors']).toBeCloseTo(0.9);
    expect(lexicon.scan('teen nudes').scores['sexual/minors']).toBeCloseTo(0.45);
    expect(lexicon.scan('kids one two three four five sex').scores['sexual/minors']).toBe(0);
    expect(lexicon.scan('sex education for kids').scores['sexual/minors']).toBeCloseTo(0.18);
    expect(lexicon.scan('an 18 year old nude').scores['sexual/minors']).toBe(0);
    expect(lexicon.scan('child porn').scores['sexual/minors']).toBe(0.95);
  });

  it('gives co-occurrence evidence for both terms', () => {
    const text = 'nudes of a 12 year old';
    expect(spans(lexicon.scan(text), text).sort()).toEqual(['sexual/minors:12 year old:12 year old', 'sexual/minors:nudes:nudes']);
  });

  it('respects the order of an ordered co-occurrence', () => {
    expect(lexicon.scan('you are an idiot').scores.harassment).toBeCloseTo(0.8);
    expect(lexicon.scan('youre so stupid').scores.harassment).toBeCloseTo(0.8);
    expect(lexicon.scan('stupid, you are').scores.harassment).toBe(0);
  });

  describe('a whole-text co-occurrence (`window: "text"`)', () => {
    const wide = compileLexicon([
      profanity,
      violence,
      { ...minors, cooccurrence: [...(minors.cooccurrence ?? []), { id: 'anywhere', groups: ['minor', 'sexual'], window: 'text', weight: 0.4 }] },
    ]);
    const far = (gap: number): string => `she is a kid. ${'the day was long and quiet. '.repeat(gap)}then sex`;

    it('pairs terms however far apart, at its own weight', () => {
      expect(lexicon.scan(far(20)).scores['sexual/minors']).toBe(0);
      expect(wide.scan(far(20)).scores['sexual/minors']).toBeCloseTo(0.4);
      // A pair counts once, at the strongest weight of the rules over its groups.
      expect(wide.scan(far(0)).scores['sexual/minors']).toBeCloseTo(0.9);
      expect(wide.scan('she is a kid. the day was long').scores['sexual/minors']).toBe(0);
    });

    it('pairs the strongest terms, weighed by their context, with evidence for both', () => {
      const text = `a teen. ${'words here. '.repeat(30)}sex education. ${'words here. '.repeat(30)}a 12 year old. ${'words here. '.repeat(30)}nudes`;
      const { scores, evidence } = wide.scan(text);
      expect(scores['sexual/minors']).toBeCloseTo(0.4);
      expect(evidence.map((e) => text.slice(e.start, e.end)).sort()).toEqual(['12 year old', 'nudes']);
    });

    it('pairs terms in different segments of a long text', () => {
      const text = `a kid ${'lorem ipsum dolor sit amet '.repeat(4000)} sex`;
      expect(text.length).toBeGreaterThan(100_000);
      expect(wide.scan(text).scores['sexual/minors']).toBeCloseTo(0.4);
    });

    it('pairs a term of `preceding` with one of the text, never two of `preceding`', () => {
      expect(wide.scan('then sex', 'she is a kid. the day was long.').scores['sexual/minors']).toBeCloseTo(0.4);
      expect(wide.scan('the evening was calm', 'she is a kid. then sex').scores['sexual/minors']).toBe(0);
      expect(lexicon.scan('nudes', 'send me a 12 year old').scores['sexual/minors']).toBeCloseTo(0.9);
    });

    it('keeps scores and evidence of `preceding` out of the result, and evidence offsets in the text', () => {
      const text = 'fuck, then sex';
      const { scores, evidence } = wide.scan(text, 'shit. a kid.');
      expect(scores.profanity).toBeCloseTo(0.6);
      expect(spans({ scores, evidence }, text).sort()).toEqual(['profanity:fuck:fuck', 'sexual/minors:sex:sex']);
      expect(wide.scan('a calm day', 'kill him').scores).toEqual(wide.scan('a calm day').scores);
    });

    it('reads only the end of a long `preceding`', () => {
      const filler = 'the day was long and quiet. '.repeat(Math.ceil(PRECEDING_MAX_CHARS / 28));
      expect(wide.scan('then sex', `a kid. ${filler}`).scores['sexual/minors']).toBe(0);
      expect(wide.scan('then sex', `${filler} a kid. the day was long and quiet.`).scores['sexual/minors']).toBeCloseTo(0.4);
    });
  });

  describe('Han, kana and Hangul, written without spaces between words', () => {
    const cjk = compileLexicon([
      {
        category: 'weapons/indiscriminate',
        description: 'test',
        contexts: { history: { terms: ['历史', 'れきし'], factor: 0.2 } },
        terms: [
          { term: ['炸弹', 'ばくだん', '폭탄'], weight: 0.5, context: ['history'] },
          { term: '炸', weight: 0.1 },
        ],
        groups: { make: [{ term: ['制作', '만드는'] }], thing: [{ term: ['炸药', '폭약'] }] },
        cooccurrence: [{ id: 'make-thing', groups: ['make', 'thing'], window: 2, ordered: true, weight: 0.9 }],
      },
    ]);
    const score = (text: string): number => cjk.scan(text).scores['weapons/indiscriminate']!;

    it('matches a term as a character sequence inside an unspaced clause, with evidence on its characters', () => {
      const text = '请告诉我如何在家制作炸弹。';
      const { evidence } = cjk.scan(text);
      expect(evidence.map((e) => text.slice(e.start, e.end))).toEqual(['炸', '炸弹']);
      expect(score('爆弾ではなく、ばくだんの作り方')).toBeCloseTo(0.5);
    });

    it('matches a Korean noun with its particle attached', () => {
      expect(score('폭탄을 만드는 방법')).toBeCloseTo(0.5);
    });

    it('applies context and ordered co-occurrence inside one clause, in character order', () => {
      expect(score('炸弹的历史')).toBeCloseTo(0.1 + 0.9 * 0.1, 5);
      expect(score('怎么制作炸药')).toBeCloseTo(1 - (1 - 0.1) * (1 - 0.9), 5);
      expect(score('炸药制作')).toBeCloseTo(0.1, 5);
      expect(score('폭약을 만드는')).toBe(0);
      expect(score('만드는 폭약')).toBeCloseTo(0.9);
    });

    it('reads chars of other scripts as shared buckets, confirming each match on its real chars', () => {
      // Two ideographs in one bucket: a term with one must not match text with the other.
      const first = 0x4e00;
      let twin = first + 1;
      while (bucketOf(twin) !== bucketOf(first)) twin++;
      const a = String.fromCharCode(first);
      const b = String.fromCharCode(twin);
      const set = compileLexicon([{ category: 'violence', description: 'test', terms: [{ term: `${a}${a}x`, weight: 0.5 }] }]);
      expect(set.scan(`说${a}${a}x`).scores.violence).toBeCloseTo(0.5);
      expect(set.scan(`说${b}${a}x`).scores.violence).toBe(0);
      // Hundreds of distinct ideographs widen the automaton's alphabet by the buckets at most.
      const many = Array.from({ length: 400 }, (_, i) => String.fromCharCode(0x4e00 + 7 * i) + String.fromCharCode(0x5e00 + 11 * i));
      const big = compileLexicon([{ category: 'violence', description: 'test', terms: [{ term: many, weight: 0.5 }] }]);
      expect(big.size.alphabetSize).toBeLessThanOrEqual(2 + 48);
      expect(big.scan(`好${many[123]!}了`).scores.violence).toBeCloseTo(0.5);
      expect(big.scan('好了').scores.violence).toBe(0);
    });

    it('matches Thai inside a phrase, which has no spaces between its words', () => {
      const thai = compileLexicon([{ category: 'weapons/indiscriminate', description: 'test', terms: [{ term: 'ระเบิด', weight: 0.5 }] }]);
      expect(thai.scan('วิธีทำระเบิดที่บ้าน').scores['weapons/indiscriminate']).toBeCloseTo(0.5);
      expect(thai.scan('วิธีทำขนมที่บ้าน').scores['weapons/indiscriminate']).toBe(0);
    });

    it('still needs word boundaries for Latin terms beside them', () => {
      const mixed = compileLexicon([{ category: 'violence', description: 'test', terms: [{ term: 'kill', weight: 0.5 }] }]);
      expect(mixed.scan('skilled 杀 kill').scores.violence).toBeCloseTo(0.5);
      expect(mixed.scan('skilled').scores.violence).toBe(0);
    });
  });

  it('points evidence at the original text', () => {
    const text = 'Oh ＦＵＵＵＣＫ, you a$$ho1e — f\u200bu\u200bc\u200bk kill   yourself 𝐬𝐡𝐢𝐭';
    const { evidence } = lexicon.scan(text);
    expect(evidence.map((e) => text.slice(e.start, e.end))).toEqual(['ＦＵＵＵＣＫ', 'a$$ho1e', 'f\u200bu\u200bc\u200bk', 'kill', 'kill   yourself', '𝐬𝐡𝐢𝐭']);
    expect(evidence.every((e) => e.source === 'lexicon')).toBe(true);
  });

  it('handles the empty string and lone surrogates', () => {
    expect(lexicon.scan('')).toEqual({ scores: { 'sexual/minors': 0, harassment: 0, violence: 0, profanity: 0 }, evidence: [] });
    const text = '\ud800fuck\udc00 \udfff';
    expect(spans(lexicon.scan(text), text)).toEqual(['profanity:fuck:fuck']);
  });

  it('scans a large text in segments, counting hits at segment edges once', () => {
    const filler = 'lorem ipsum dolor sit amet ';
    const parts: string[] = [];
    for (let i = 0; i < 6000; i++) parts.push(i % 500 === 499 ? 'fuck ' : filler);
    parts.push('kill\n\nprocess');
    const text = parts.join('');
    expect(text.length).toBeGreaterThan(150_000);
    const { scores, evidence } = lexicon.scan(text);
    const hits = evidence.filter((e) => e.match === 'fuck');
    expect(hits).toHaveLength(12);
    expect(hits.every((e) => text.slice(e.start, e.end) === 'fuck')).toBe(true);
    expect(new Set(hits.map((e) => e.start)).size).toBe(12);
    expect(scores.violence).toBeCloseTo(0.04);
  });

  it('finds a hit that straddles a segment cut in text without spaces', () => {
    const text = `${'x'.repeat(40_000)} kill him ${'y'.repeat(40_000)}`;
    expect(lexicon.scan(text).scores.violence).toBeCloseTo(0.8);
  });

  it('keeps evidence bounded, but always the first hit of each blocklist', () => {
    const capped = compileLexicon([profanity], [{ id: 'words', terms: ['zebra'] }], { maxEvidence: 5 });
    const text = `${'fuck '.repeat(50)} zebra`;
    const { scores, evidence } = capped.scan(text);
    expect(evidence.filter((e) => e.category === 'profanity')).toHaveLength(5);
    expect(evidence.find((e) => e.list === 'words')).toMatchObject({ category: 'blocklist', match: 'zebra' });
    expect(scores.blocklist).toBe(1);
  });

  it('compiles blocklists into the same matcher', () => {
    const withLists = compileLexicon([profanity], [
      { id: 'competitors', terms: ['Acme Corp', 'globex*'] },
      { id: 'codenames', terms: ['project falcon'] },
    ]);
    expect(withLists.categories).toEqual(['profanity', 'blocklist']);
    const text = 'Is ACME-corp better than Globexia? Ask about Project  Falcon.';
    const { scores, evidence } = withLists.scan(text);
    expect(scores).toEqual({ profanity: 0, blocklist: 1 });
    expect(evidence.map((e) => [e.list, e.match, text.slice(e.start, e.end)])).toEqual([
      ['competitors', 'Acme Corp', 'ACME-corp'],
      ['competitors', 'globex*', 'Globexia'],
      ['codenames', 'project falcon', 'Project  Falcon'],
    ]);
    expect(withLists.scan('nothing here').scores.blocklist).toBe(0);
  });

  it('works with blocklists alone', () => {
    const only = compileLexicon([], [{ id: 'x', terms: ['foo'] }]);
    expect(only.categories).toEqual(['blocklist']);
    expect(only.scan('FOO!').scores).toEqual({ blocklist: 1 });
    expect(compileLexicon([]).scan('anything')).toEqual({ scores: {}, evidence: [] });
  });

  it('derives its version from the content', () => {
    const again = compileLexicon([harassment, minors, violence, profanity]);
    expect(again.version).toBe(lexicon.version);
    expect(again.version).toMatch(/^lexicon-\d+-[0-9a-f]{16}$/);
    const changed = compileLexicon([{ ...profanity, terms: [{ term: 'fuck', weight: 0.7 }] }, violence, minors, harassment]);
    expect(changed.version).not.toBe(lexicon.version);
    expect(compileLexicon([profanity], [{ id: 'a', terms: ['x y'] }]).version).not.toBe(compileLexicon([profanity]).version);
  });

  it('is immutable', () => {
    expect(Object.isFrozen(lexicon)).toBe(true);
    expect(Object.isFrozen(lexicon.categories)).toBe(true);
  });
});

describe('compileLexicon errors', () => {
  const expectProblem = (fn: () => unknown, label: RegExp, problem: RegExp): void => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(LexiconError);
      expect(err).toBeInstanceOf(SaferouteError);
      expect((err as LexiconError).code).toBe('lexicon_invalid');
      expect((err as LexiconError).file).toMatch(label);
      expect((err as LexiconError).message).toMatch(problem);
      return;
    }
    throw new Error('expected a LexiconError');
  };

  it('names the lexicon and the problem', () => {
    expectProblem(() => compileLexicon([{ ...profanity, terms: [{ term: 'x', weight: 1.5 }] }]), /profanity/, /terms\.0\.weight/);
    expectProblem(() => compileLexicon([{ ...profanity, terms: [{ term: 'kill', weight: 0.5, context: ['nope'] }] }]), /profanity/, /unknown context `nope`/);
    expectProblem(() => compileLexicon([{ ...profanity, terms: [{ term: ['a', 'A'], weight: 0.5 }] }]), /profanity/, /duplicate term `A`/);
    expectProblem(() => compileLexicon([{ ...profanity, terms: [{ term: '!!!', weight: 0.5 }] }]), /profanity/, /no letters or digits/);
    expectProblem(() => compileLexicon([{ ...profanity, terms: [{ term: 'a*', weight: 0.5 }] }]), /profanity/, /too short for a wildcard/);
    expectProblem(() => compileLexicon([{ ...profanity, terms: [{ term: '{a', weight: 0.5 }] }]), /profanity/, /without `}`/);
    expectProblem(
      () => compileLexicon([{ ...minors, cooccurrence: [{ id: 'x', groups: ['minor', 'nope'], window: 3, weight: 0.5 }] }]),
      /sexual\/minors/,
      /unknown group `nope`/,
    );
    expectProblem(
      () => compileLexicon([{ ...minors, cooccurrence: [{ id: 'x', groups: ['minor', 'sexual'], window: 'text', ordered: true, weight: 0.5 }] }]),
      /sexual\/minors/,
      /`ordered` needs a window in words/,
    );
    expectProblem(() => compileLexicon([{ category: 'nope', description: 'x', terms: [] } as unknown as Lexicon]), /nope/, /category/);
  });

  it('names the blocklist at fault', () => {
    expectProblem(() => compileLexicon([], [{ id: 'brands', terms: ['ok', '   '] }]), /blocklist `brands`/, /terms\[1\]/);
    expectProblem(() => compileLexicon([], [{ id: 'brands', terms: ['...'] }]), /blocklist `brands`/, /no letters/);
  });

  it('rejects a bad evidence limit', () => {
    expectProblem(() => compileLexicon([], [], { maxEvidence: -1 }), /options/, /maxEvidence/);
  });
});

describe('lexiconFileName', () => {
  it('writes `/` as `__`', () => {
    expect(lexiconFileName('sexual/minors')).toBe('sexual__minors.json');
    expect(lexiconFileName('profanity')).toBe('profanity.json');
    expect(lexiconFileName('sexual/minors', 'zh')).toBe('sexual__minors.zh.json');
  });
});
