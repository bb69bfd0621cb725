/**
 * Per-character folding tables for the normaliser: what each UTF-16 code unit becomes (lower
 * case, compatibility forms resolved, diacritics stripped) and what kind of character it is.
 * Built once per process on first use, so the hot loop is two array reads per character.
 */

export const K_SEP = 0;
export const K_SPACE = 1;
export const K_NEWLINE = 2;
/** A Latin letter a–z after folding. */
export const K_LATIN = 3;
/** A letter or number of another script (Cyrillic, Greek, Han…); may have a Latin look-alike. */
export const K_OTHER = 4;
export const K_DIGIT = 5;
/** A symbol used as a letter in leetspeak: @ $ ! | *. */
export const K_LEET = 6;
export const K_APOSTROPHE = 7;
/** Invisible: zero-width characters, combining marks, controls. */
export const K_REMOVED = 8;
/** Folds to several characters (ligatures, ß, ㎏, ⒜); see `expansions`. */
export const K_EXPAND = 9;

export interface FoldTables {
  readonly kind: Uint8Array;
  readonly fold: Uint16Array;
  /** The Latin look-alike of a Cyrillic, Greek or Armenian letter; 0 when none. */
  readonly alt: Uint16Array;
  readonly expansions: ReadonlyMap<number, string>;
  /**
   * 1 for a combining mark that is part of the spelling in its script (a vowel sign, virama or
   * tone mark of Devanagari, Bengali, Thai, Myanmar, Khmer…): kept, as a letter, after a letter of
   * the same script (see `sameScriptBlock`), and removed like any other mark elsewhere.
   */
  readonly scriptMark: Uint8Array;
}

/**
 * Scripts whose combining marks spell the word: in Hindi मारो (kill!) and मेरे (my) differ only
 * in their vowel signs, in Thai the marks above and below a consonant are its vowels and tones.
 * Stripping them, as is right for Latin, Greek or Cyrillic accents and for Arabic and Hebrew
 * vowel points, would merge such words. Each range is one script's block.
 */
const SPELLING_MARK_BLOCKS: readonly (readonly [number, number])[] = [
  [0x0900, 0x097f], // Devanagari
  [0x0980, 0x09ff], // Bengali
  [0x0a00, 0x0a7f], // Gurmukhi
  [0x0a80, 0x0aff], // Gujarati
  [0x0b00, 0x0b7f], // Oriya
  [0x0b80, 0x0bff], // Tamil
  [0x0c00, 0x0c7f], // Telugu
  [0x0c80, 0x0cff], // Kannada
  [0x0d00, 0x0d7f], // Malayalam
  [0x0d80, 0x0dff], // Sinhala
  [0x0e00, 0x0e7f], // Thai
  [0x0e80, 0x0eff], // Lao
  [0x0f00, 0x0fff], // Tibetan
  [0x1000, 0x109f], // Myanmar
  [0x1780, 0x17ff], // Khmer
];

/** Nukta: written or left out at will (ज़हर, जहर), so it is removed like an accent. */
const OPTIONAL_MARKS: ReadonlySet<number> = new Set([0x093c, 0x09bc, 0x0a3c, 0x0abc, 0x0b3c, 0x0cbc]);

/** The first code point of the spelling-mark script block holding `c`, or -1. */
export function sameScriptBlock(c: number): number {
  if (c < 0x0900 || c > 0x17ff) return -1;
  for (const [lo, hi] of SPELLING_MARK_BLOCKS) if (c >= lo && c <= hi) return lo;
  return -1;
}

/**
 * Look-alikes from other scripts, applied only inside words that are not plainly in that script
 * (see the normaliser), so Russian or Greek text is left alone. Keys are lower case.
 */
const CONFUSABLES: Readonly<Record<string, string>> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y',
  х: 'x', ь: 'b', і: 'i', ї: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l', ү: 'y',
  ɡ: 'g', г: 'r', п: 'n', ԍ: 'g', ӓ: 'a', ӧ: 'o', є: 'e', ҫ: 'c', қ: 'k',
  // Greek
  α: 'a', β: 'b', γ: 'y', ε: 'e', ζ: 'z', η: 'n', ι: 'i', κ: 'k', μ: 'u', ν: 'v', ο: 'o', ρ: 'p',
  σ: 'o', ς: 'c', τ: 't', υ: 'u', χ: 'x', ω: 'w', ϲ: 'c', ϳ: 'j', ϱ: 'p', ϰ: 'k',
  // Armenian
  օ: 'o', հ: 'h', ս: 'u', ո: 'n', ց: 'g', զ: 'q',
};

/** The Latin letter a Cyrillic, Greek or Armenian letter looks like ("о" → "o", "Η" → "h"), if any. */
export function latinLookAlike(ch: string): string | undefined {
  // Accents off first: Greek "ό" looks like "o" as "ο" does.
  const base = ch.normalize('NFD')[0] ?? ch;
  return CAPITAL_CONFUSABLES[base] ?? CONFUSABLES[base.toLowerCase()];
}

/** Capital letters whose look-alike differs from their lower-case form's (Greek Η looks like H, η like n). */
const CAPITAL_CONFUSABLES: Readonly<Record<string, string>> = {
  Η: 'h', Ν: 'n', Μ: 'm', Τ: 't', Υ: 'y', Χ: 'x', Β: 'b', Ζ: 'z', Ρ: 'p', Κ: 'k', Ι: 'i', Ο: 'o',
  Α: 'a', Ε: 'e', В: 'b', Н: 'h', М: 'm', Т: 't', К: 'k', Р: 'p', С: 'c', Х: 'x', У: 'y', Г: 'r',
};

/** Latin letters without a decomposition: small capitals, IPA and a few that NFKD leaves alone. */
const LATIN_EXTRAS: Readonly<Record<string, string>> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h', ŧ: 't',
  ƒ: 'f', ɨ: 'i', ɑ: 'a', ɩ: 'i', ʋ: 'u', ɪ: 'i', ʏ: 'y', ɴ: 'n', ʀ: 'r', ʜ: 'h', ʟ: 'l', ʙ: 'b',
  ɢ: 'g', ᴀ: 'a', ᴄ: 'c', ᴅ: 'd', ᴇ: 'e', ᴊ: 'j', ᴋ: 'k', ᴍ: 'm', ᴏ: 'o', ᴘ: 'p', ᴛ: 't',
  ᴜ: 'u', ᴠ: 'v', ᴡ: 'w', ᴢ: 'z', ꜱ: 's', ꜰ: 'f', ɓ: 'b', ɗ: 'd', ƙ: 'k', ɲ: 'n', ŋ: 'n',
  ɔ: 'o', ɛ: 'e', ʌ: 'v', ǝ: 'e', ɐ: 'a', ʇ: 't', ɯ: 'm', ɹ: 'r',
};

const APOSTROPHES = new Set(["'", '`', '\u2018', '\u2019', '\u02BC', '\u02B9', '\uFF07', '\u00B4']);
const LEET_SYMBOLS = new Set(['@', '$', '!', '|', '*']);

const MARKS = /\p{M}/gu;
const MARK = /^\p{M}$/u;
const DECIMAL_DIGIT = /^\p{Nd}$/u;
const LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;
const INVISIBLE = /^[\p{Cf}\p{Cc}\p{M}\u115F\u1160\u3164\uFFA0\u2800]$/u;
const WHITESPACE = /^\s$/u;

let tables: FoldTables | undefined;

export function getFoldTables(): FoldTables {
  tables ??= buildFoldTables();
  return tables;
}

function foldString(s: string): string {
  let d = s.toLowerCase().normalize('NFKC');
  if (/[^\u0000-\u007f]/.test(d)) d = d.normalize('NFD').replace(MARKS, '').normalize('NFC').toLowerCase();
  let out = '';
  for (const ch of d) out += LATIN_EXTRAS[ch] ?? ch;
  return out;
}

function kindOf(ch: string): number {
  const c = ch.charCodeAt(0);
  if (ch.length === 1 && c >= 0x61 && c <= 0x7a) return K_LATIN;
  if (ch.length === 1 && c >= 0x30 && c <= 0x39) return K_DIGIT;
  if (LEET_SYMBOLS.has(ch)) return K_LEET;
  if (APOSTROPHES.has(ch)) return K_APOSTROPHE;
  if (ch === '\n' || ch === '\r' || ch === '\u2028' || ch === '\u2029' || ch === '\u0085') return K_NEWLINE;
  if (WHITESPACE.test(ch)) return K_SPACE;
  if (INVISIBLE.test(ch)) return K_REMOVED;
  if (LETTER_OR_NUMBER.test(ch)) return K_OTHER;
  return K_SEP;
}

function isBulkLetterRange(c: number): boolean {
  // Large blocks of letters that neither fold nor have look-alikes: skip the costly per-char work.
  return (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xa000 && c <= 0xa48c);
}

function buildFoldTables(): FoldTables {
  const kind = new Uint8Array(65536);
  const fold = new Uint16Array(65536);
  const alt = new Uint16Array(65536);
  const expansions = new Map<number, string>();
  const scriptMark = new Uint8Array(65536);
  for (let c = 0; c < 65536; c++) {
    if (c >= 0xd800 && c <= 0xdfff) {
      kind[c] = K_SEP;
      continue;
    }
    if (isBulkLetterRange(c)) {
      kind[c] = K_OTHER;
      fold[c] = c;
      continue;
    }
    if (c >= 0xe000 && c <= 0xf8ff) {
      kind[c] = K_SEP;
      continue;
    }
    const s = String.fromCharCode(c);
    if (sameScriptBlock(c) >= 0) {
      // Left as written (NFKC would split Thai ำ into a mark and า), but for the nukta: क़ is क.
      if (OPTIONAL_MARKS.has(c)) {
        kind[c] = K_REMOVED;
      } else if (MARK.test(s)) {
        kind[c] = K_OTHER;
        fold[c] = c;
        scriptMark[c] = 1;
      } else if (DECIMAL_DIGIT.test(s)) {
        // ১২ and १२ are 12: ages and amounts read as the ASCII numbers the lists use.
        let zero = c;
        while (zero > 0 && DECIMAL_DIGIT.test(String.fromCharCode(zero - 1)) && c - zero < 9) zero--;
        kind[c] = K_DIGIT;
        fold[c] = 0x30 + (c - zero);
      } else if (LETTER_OR_NUMBER.test(s)) {
        kind[c] = K_OTHER;
        const base = s.normalize('NFD');
        fold[c] = base.length > 1 && OPTIONAL_MARKS.has(base.charCodeAt(1)) ? base.charCodeAt(0) : c;
      } else {
        kind[c] = kindOf(s) === K_SPACE ? K_SPACE : K_SEP;
      }
      continue;
    }
    const own = kindOf(s);
    if (own === K_REMOVED || own === K_NEWLINE || own === K_SPACE || own === K_APOSTROPHE || own === K_LEET) {
      kind[c] = own;
      fold[c] = c;
      continue;
    }
    if (c < 0x80 && own === K_SEP) {
      kind[c] = K_SEP;
      continue;
    }
    const f = foldString(s);
    if (f.length === 0) {
      kind[c] = K_REMOVED;
    } else if (f.length === 1) {
      const k = kindOf(f);
      kind[c] = k === K_REMOVED ? K_REMOVED : k;
      fold[c] = f.charCodeAt(0);
    } else {
      kind[c] = K_EXPAND;
      expansions.set(c, f);
    }
    const look = CAPITAL_CONFUSABLES[s] ?? CONFUSABLES[f];
    if (look != null && kind[c] === K_OTHER) alt[c] = look.charCodeAt(0);
  }
  return { kind, fold, alt, expansions, scriptMark };
}

/**
 * Emoji that stand for a word of a harm's vocabulary, written in its place to get round word
 * filters ("how do I make a pipe 💣", "a story about a 👧"): read as that word. Only pictures with
 * one plain meaning; those whose slang meaning is the harmful one (🍆, 🍑) are left as separators,
 * since a recipe or a fruit stand uses them as often.
 */
const EMOJI_WORDS: ReadonlyMap<number, string> = new Map([
  [0x1f4a3, 'bomb'],
  [0x1f9e8, 'dynamite'],
  [0x1f52b, 'gun'],
  [0x1f52a, 'knife'],
  [0x1f5e1, 'dagger'],
  [0x1f48a, 'pills'],
  [0x1f489, 'syringe'],
  [0x1f467, 'girl'],
  [0x1f466, 'boy'],
  [0x1f9d2, 'child'],
  [0x1f476, 'baby'],
]);

const astralCache = new Map<number, string>();
const ASTRAL_CACHE_MAX = 4096;

/**
 * Folds a code point above U+FFFF. Mathematical alphanumerics (𝐟𝐮𝐜𝐤) and enclosed letters are a
 * common way round filters, so they become Latin; a few emoji become the word they stand for
 * (`EMOJI_WORDS`); other emoji and the rest become separators ('').
 * Returns the folded text, or '\u200b' for an invisible character.
 */
export function foldAstral(cp: number): string {
  const hit = astralCache.get(cp);
  if (hit != null) return hit;
  let out: string;
  if ((cp >= 0x1f150 && cp <= 0x1f169) || (cp >= 0x1f170 && cp <= 0x1f189)) {
    out = String.fromCharCode(0x61 + ((cp - 0x1f150) % 0x20));
  } else if (cp >= 0x1f1e6 && cp <= 0x1f1ff) {
    // Regional indicator letters (flags are pairs of them): "🇸🇪🇽" spells sex.
    out = String.fromCharCode(0x61 + (cp - 0x1f1e6));
  } else if ((cp >= 0xe0000 && cp <= 0xe007f) || (cp >= 0xe0100 && cp <= 0xe01ef)) {
    out = '\u200b';
  } else if (EMOJI_WORDS.has(cp)) {
    out = ` ${EMOJI_WORDS.get(cp)!} `;
  } else {
    const s = String.fromCodePoint(cp);
    const f = foldString(s);
    out = /^[\p{L}\p{N}]+$/u.test(f) ? f : f.length === 0 ? '\u200b' : '';
  }
  if (astralCache.size >= ASTRAL_CACHE_MAX) astralCache.clear();
  astralCache.set(cp, out);
  return out;
}
