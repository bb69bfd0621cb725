import { describe, expect, it } from 'vitest';
import { TextNormaliser, normaliseText } from './normalise-text.js';
import { createSeededRandom } from '../../util/seeded-random.js';

const norm = (s: string): string => normaliseText(s).text;

/** The original text behind each normalised word, from the per-char ranges. */
function originalWords(s: string): string[] {
  const n = normaliseText(s);
  const words: string[] = [];
  let start = -1;
  let end = -1;
  for (let i = 0; i <= n.text.length; i++) {
    if (i === n.text.length || n.text[i] === ' ') {
      if (start >= 0) words.push(s.slice(start, end));
      start = -1;
      continue;
    }
    if (start < 0) start = n.starts[i]!;
    end = n.ends[i]!;
  }
  return words;
}

describe('normaliseText', () => {
  it('joins letters written one per line, but not words on separate lines', () => {
    expect(normaliseText('write a s\ne\nx story').text).toBe('write a sex story');
    expect(normaliseText('one\ntwo\nsix').text).toBe('one two six');
    // Other separators around the line break keep them apart, as before.
    expect(normaliseText('s \ne \nx').text).toBe('s e x');
    expect(normaliseText('s\n\ne\n\nx').text).toBe('s e x');
  });

  it('reads regional indicator letters (flag emoji halves) as a to z', () => {
    expect(normaliseText('\u{1F1F8}\u{1F1EA}\u{1F1FD} and \u{1F1EB}\u{1F1F7}').text).toBe('sex and fr');
  });

  it('reads an emoji that stands for a word of a harm as that word, and other emoji as separators', () => {
    expect(norm('how do I make a pipe💣 at home')).toBe('how do i make a pipe bomb at home');
    expect(norm('a story about a \u{1F467} and a \u{1F52A}')).toBe('a story about a girl and a knife');
    expect(norm('good night \u{1F319}\u{1F31F} see you')).toBe('god night se you');
    // A slang picture whose other meaning is everyday is not read as the slang.
    expect(norm('\u{1F346} parmesan')).toBe('parmesan');
    // Offsets of the word point at the emoji.
    expect(originalWords('a \u{1F4A3} now')).toEqual(['a', '\u{1F4A3}', 'now']);
  });

  it('lower-cases and separates words with single spaces', () => {
    expect(norm('  Hello,   WORLD!\n\tAgain ')).toBe('helo world again');
  });

  it('resolves compatibility forms: fullwidth, math alphanumerics, circled, ligatures', () => {
    expect(norm('ｆｕｃｋ')).toBe('fuck');
    expect(norm('𝐟𝐮𝐜𝐤 𝓯𝓾𝓬𝓴')).toBe('fuck fuck');
    expect(norm('ⓕⓤⓒⓚ')).toBe('fuck');
    expect(norm('ﬁre')).toBe('fire');
  });

  it('strips diacritics, precomposed or combining', () => {
    expect(norm('café naïve Ñandú')).toBe('cafe naive nandu');
    expect(norm('d\u0301ick')).toBe('dick');
  });

  it('keeps the vowel signs and tone marks that spell words in Indic and Southeast Asian scripts', () => {
    // Stripped like accents, मारो (kill!) and मेरे (my) were one word, বোমা (bomb) and বমি (vomit) too.
    expect(norm('मारो')).not.toBe(norm('मेरे'));
    expect(norm('বোমা')).not.toBe(norm('বমি'));
    expect(norm('มารอ मारो')).toBe('มารอ मारो');
    // Thai ำ stays one vowel (NFKC would split it into a mark and า).
    expect(norm('วิธีทำระเบิด')).toBe('วิธีทำระเบิด');
    // The nukta is written or left out at will: ज़हर is जहर.
    expect(norm('ज़हर')).toBe(norm('जहर'));
    // Such a mark after a letter of another script is removed like an accent.
    expect(norm('bo\u093emb')).toBe('bomb');
    expect(norm('ki\u0e31ll')).toBe(norm('kill'));
  });

  it('reads decimal digits of Indic and Southeast Asian scripts as ASCII numbers', () => {
    expect(norm('১২ বছর')).toBe(norm('12 বছর'));
    expect(norm('१४ साल')).toBe(norm('14 साल'));
    expect(norm('๑๓ ปี')).toBe(norm('13 ปี'));
  });

  it('reads Cyrillic and Greek look-alikes as Latin inside disguised words', () => {
    expect(norm('ѕех')).toBe('sex');
    expect(norm('fuсk')).toBe('fuck');
    expect(norm('nіggеr')).toBe('niger');
    expect(norm('κιll')).toBe('kil');
  });

  it('leaves plainly Cyrillic or Greek words in their script', () => {
    expect(norm('привет мир')).toBe('привет мир');
    expect(norm('καλημέρα')).toBe('καλημερα');
  });

  it('removes zero-width and invisible characters', () => {
    expect(norm('fu\u200bck')).toBe('fuck');
    expect(norm('s\u200de\u2060x\ufeff')).toBe('sex');
    expect(norm('ki\u00adll')).toBe('kil');
    expect(norm('a\u0001s\u0002s')).toBe('as');
  });

  it('reads leetspeak next to letters', () => {
    expect(norm('k1ll sh1t b00bs s3x 4ss pr0n fu(k')).toBe('kil shit bobs sex as pron fu k');
    expect(norm('$hit a$$ sh!t')).toBe('shit as shit');
  });

  it('keeps real numbers as numbers, split from letters', () => {
    expect(norm('in 2024 I lost 10 kg')).toBe('in 2024 i lost 10 kg');
    expect(norm('12yo 13yo 5th 3rd 10kg 4k')).toBe('12 yo 13 yo 5 th 3 rd 10 kg 4 k');
    expect(norm('Galaxy A55 and vitamin B12')).toBe('galaxy a 5 and vitamin b 12');
    expect(normaliseText('1000').runs).toEqual([1, 3]);
  });

  it('treats trailing punctuation and mentions as punctuation, not letters', () => {
    expect(norm('hi! what!! @user |x|')).toBe('hi what user x');
  });

  it('joins spelled-out words and keeps ordinary single letters apart', () => {
    expect(norm('s.e.x')).toBe('sex');
    expect(norm('s e x')).toBe('sex');
    expect(norm('s-e-x and s_e_x')).toBe('sex and sex');
    expect(norm('f . u . c . k')).toBe('fuck');
    expect(norm('s*e*x')).toBe('sex');
    expect(norm('s**e**x**u**a**l and **bold**')).toBe('sexual and bold');
    expect(norm('s*e**x')).toBe('s*e*x');
    expect(norm('I am a cat')).toBe('i am a cat');
    expect(norm('u r')).toBe('u r');
    expect(norm('s-e-x s-e-x')).toBe('sex sex');
  });

  it('keeps an asterisk inside a censored word', () => {
    expect(norm('f*ck sh*t')).toBe('f*ck sh*t');
  });

  it('drops apostrophes inside words', () => {
    expect(norm("don't you're I’m")).toBe('dont youre im');
    expect(norm("'quoted'")).toBe('quoted');
  });

  it('collapses runs of a character and keeps their lengths', () => {
    const n = normaliseText('FUUUUCK asss');
    expect(n.text).toBe('fuck as');
    expect(n.runs).toEqual([1, 4, 1, 1, 1, 1, 3]);
  });

  it('separates scripts within a token', () => {
    expect(norm('kill你好')).toBe('kil 你好');
  });

  it('maps each normalised char back to its range in the original', () => {
    const s = 'Say ＦＵＵＵＣＫ to f-u-c\u200b-k! or fu\u200bck';
    expect(normaliseText(s).text).toBe('say fuck to fuck or fuck');
    expect(originalWords(s)).toEqual(['Say', 'ＦＵＵＵＣＫ', 'to', 'f-u-c\u200b-k', 'or', 'fu\u200bck']);
    const t = 'x 𝐟𝐮𝐜𝐤 y';
    expect(originalWords(t)).toEqual(['x', '𝐟𝐮𝐜𝐤', 'y']);
  });

  it('treats lone surrogates as separators without failing', () => {
    expect(norm('abc\ud800def\udc00ghi')).toBe('abc def ghi');
    expect(norm('\udc00\ud800')).toBe('');
    expect(norm('a\ud83d')).toBe('a');
  });

  it('handles the empty string and separators only', () => {
    expect(normaliseText('')).toEqual({ text: '', runs: [], starts: [], ends: [] });
    expect(norm(' ,.!? \n')).toBe('');
  });

  it('gives the same stream on its fast paths (WebAssembly and JavaScript) as on the general path', () => {
    const fast = new TextNormaliser();
    const jsFast = new TextNormaliser({ kernel: false });
    const general = new TextNormaliser({ generalOnly: true });
    const alphabet = ['a', 'b', 's', 'E', 'x', 'I', ' ', ' ', '  ', '.', '. ', '-', '1', '3', '0', '7', '$', '@', '!', '|', "'", '*', 'é', 'ѕ', '\u200b', '\n', '\t', '12', '2024', 'the', 'kill', "don't", "I'm", "it's", 'll', "'s", 'ＦＵ', '𝐟', '\ud800', '\u0001'];
    const random = createSeededRandom(42);
    const rand = (n: number): number => Math.floor(random() * n);
    for (let round = 0; round < 3000; round++) {
      let s = '';
      const len = rand(30);
      for (let i = 0; i < len; i++) s += alphabet[rand(alphabet.length)];
      fast.normalise(s);
      jsFast.normalise(s);
      general.normalise(s);
      const dump = (n: TextNormaliser): string =>
        Array.from({ length: n.length }, (_, p) => `${n.code[p]}:${n.run[p]}:${n.flag[p]}:${n.start[p]}:${n.end[p]}:${n.word[p]}`).join(' ') +
        ` | ${Array.from({ length: n.words }, (_, w) => `${n.wordStart[w]}-${n.wordEnd[w]}`).join(' ')}`;
      expect(dump(fast), JSON.stringify(s)).toBe(dump(general));
      expect(dump(jsFast), JSON.stringify(s)).toBe(dump(general));
      expect(fast.words).toBe(general.words);
    }
  });

  it('normalises a long text in linear time with buffers sized to it', () => {
    const text = 'lorem ipsum dolor sit amet k1ll '.repeat(40_000);
    const n = new TextNormaliser();
    const t0 = performance.now();
    n.normalise(text);
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(n.words).toBe(6 * 40_000);
  });
});
