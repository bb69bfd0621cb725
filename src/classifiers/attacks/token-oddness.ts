/**
 * How unlike an ordinary word one whitespace-separated token is, in [0, 1], without a dictionary:
 * 0 for words in any script, numbers, URLs, e-mail addresses, paths, emoticons and markdown
 * emphasis; higher for a token that glues letters to several kinds of punctuation
 * (`oppositeley.](`, `({[HTMLsvg`), joins word fragments in camel case inside a word
 * (`similarlyNow`), or reads like no word of any language (a long consonant run, `magyarlbsett`).
 *
 * Code identifiers (`arr.length`, `snake_case`, `getUserById()`) score a little: they are odd in
 * prose, but a line of code is told apart from an adversarial suffix by the whole line's shape
 * (see adversarial-suffix.ts), not by its tokens.
 */
export function tokenOddness(token: string): number {
  if (token.length === 0) return 0;
  const plain = plainLowercaseWord(token, 0, token.length);
  if (plain >= 0) return plain;
  // Masked markup (`<Person>` → `00000000`) and plain numbers: a clean word without letters.
  if (asciiDigitsOnly(token, 0, token.length)) return 0;
  if (HANDLE.test(token) || URL_LIKE.test(token) || EMAIL.test(token) || EMOTICON.test(token)) return 0;
  if (CLEAN_WORD.test(token) || NUMBER.test(token)) {
    return letterOddness(token);
  }
  if (MARKUP.test(token)) return 0.1;
  if (PATH.test(token) || IDENTIFIER.test(token)) return 0.25;
  if (MATH.test(token) && /[\d^=+*/<>]/.test(token) && !/\p{L}{4,}/u.test(token)) return 0.1;
  // Punctuation only: a rule ("----"), an ellipsis, an arrow or a lone operator is ordinary; a
  // jumble of different brackets and marks (`}](`, `).[`) is not.
  if (!LETTER_OR_DIGIT.test(token)) {
    const kinds = distinctSymbols(token);
    if (kinds <= 1 || ARROW.test(token)) return 0.1;
    return kinds === 2 && token.length <= 2 ? 0.5 : 0.9;
  }
  // Letters or digits glued to punctuation in the middle of the token.
  const core = stripEdges(token);
  let transitions = 0;
  let prev = -1;
  for (const ch of core) {
    const k = LETTER_OR_DIGIT.test(ch) ? 0 : 1;
    if (prev >= 0 && k !== prev) transitions++;
    prev = k;
  }
  const kinds = distinctSymbols(core);
  // One inner mark between letters is common in prose ("and/or", "e.g.", "self-made", "don't").
  if (transitions <= 2 && kinds <= 1 && !/[[\]{}<>\\|^~`$]/.test(core)) return Math.max(0.15, letterOddness(token));
  return Math.min(1, 0.45 + 0.1 * transitions + 0.1 * kinds);
}

/**
 * The common case without a regex: a lower-case ASCII word, optionally capitalised, with at most
 * one closing mark — scored on its consonant runs and length as letterOddness would. -1 otherwise.
 * The token is `text[from, to)`, not empty.
 */
function plainLowercaseWord(text: string, from: number, to: number): number {
  let end = to;
  const last = text.charCodeAt(end - 1);
  if (last === 46 || last === 44 || last === 59 || last === 58 || last === 33 || last === 63) end--;
  if (end === from) return -1;
  let run = 0;
  let longest = 0;
  let vowels = 0;
  for (let i = from; i < end; i++) {
    let c = text.charCodeAt(i);
    if (i === from && c >= 65 && c <= 90) c += 32;
    if (c < 97 || c > 122) return -1;
    if (c === 97 || c === 101 || c === 105 || c === 111 || c === 117 || c === 121) {
      vowels++;
      run = 0;
    } else if (++run > longest) longest = run;
  }
  const length = end - from;
  if (length < 4) return 0;
  if (longest >= 4) return -1; // rare enough to take the full path (common four-consonant spellings)
  if (vowels === 0 && length >= 5) return -1;
  return length >= 18 && text.charCodeAt(from) >= 97 ? 0.3 : 0;
}

/**
 * Whether the token is ASCII digits only: what the full path scores 0 (no handle, URL, e-mail or
 * emoticon; a clean word with no letters), decided without its regular expressions.
 */
function asciiDigitsOnly(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Whether `tokenOddness(text.slice(from, to))` is surely below 0.45, read in place: a plain
 * lower-case word (0 or 0.3) or ASCII digits (0). False says nothing (the token may be odd).
 */
export function ordinaryTokenAt(text: string, from: number, to: number): boolean {
  return to > from && (plainLowercaseWord(text, from, to) >= 0 || asciiDigitsOnly(text, from, to));
}

/** Oddness of the letters of a token that is otherwise a clean word. */
function letterOddness(token: string): number {
  const letters = token.replace(NON_LETTER, '');
  if (letters.length < 4 || !LATIN.test(letters)) return mixedScripts(letters) ? 0.6 : 0;
  let odd = 0;
  // Camel-case joins inside a word: brand names have a short lower-case prefix (iPhone, eBay,
  // macOS) or a capitalised start (YouTube, JavaScript); adversarial suffixes join fragments.
  const lowerThenUpper = letters.match(/\p{Ll}\p{Lu}/gu)?.length ?? 0;
  const upperRunThenLower = /\p{Lu}{2,}\p{Ll}{3,}/u.test(letters);
  if (lowerThenUpper >= 2) odd = Math.max(odd, 0.7);
  else if (lowerThenUpper === 1) odd = Math.max(odd, /^\p{Ll}{4,}\p{Lu}/u.test(letters) ? 0.6 : /^\p{Lu}/u.test(letters) ? 0.3 : 0.15);
  if (upperRunThenLower) odd = Math.max(odd, 0.5);
  const lower = letters.toLowerCase();
  // A run of five consonants is rare in words of Latin-script languages ("angstroms" has four).
  const run = longestConsonantRun(lower);
  if (run >= 5) odd = Math.max(odd, 0.5);
  else if (run === 4 && !COMMON_FOUR.test(lower)) odd = Math.max(odd, 0.3);
  if (!/[aeiouyàáâãäåèéêëìíîïòóôõöùúûüýÿæœø]/.test(lower) && letters.length >= 5 && letters !== letters.toUpperCase()) odd = Math.max(odd, 0.5);
  if (letters.length >= 18 && letters === lower) odd = Math.max(odd, 0.3);
  if (mixedScripts(letters)) odd = Math.max(odd, 0.6);
  return odd;
}

function longestConsonantRun(lower: string): number {
  let best = 0;
  let run = 0;
  for (const ch of lower) {
    if (ch >= 'a' && ch <= 'z' && !'aeiouy'.includes(ch)) {
      run++;
      if (run > best) best = run;
    } else run = 0;
  }
  return best;
}

/** Latin letters and Cyrillic or Greek ones in one word: a confusable spelling. */
function mixedScripts(letters: string): boolean {
  return LATIN.test(letters) && /[\p{Script=Cyrillic}\p{Script=Greek}]/u.test(letters);
}

function distinctSymbols(s: string): number {
  const seen = new Set<string>();
  for (const ch of s) if (!LETTER_OR_DIGIT.test(ch)) seen.add(ch);
  return seen.size;
}

/** Drops the punctuation prose puts around a word: opening quotes and brackets, closing marks. */
function stripEdges(token: string): string {
  return token.replace(/^[("'“‘«¿¡*_]+/u, '').replace(/[.,;:!?)"'”’»*_…]+$/u, '');
}

const LETTER_OR_DIGIT = /[\p{L}\p{M}\p{N}]/u;
const NON_LETTER = /[^\p{L}\p{M}]/gu;
const LATIN = /\p{Script=Latin}/u;
/** Four consonants in a row that ordinary English and Romance words do have. */
const COMMON_FOUR = /(?:ngth|nstr|rstr|tchw|ngst|mpst|ndsc|ntsh|rthw|lfth|xtr|str|scr|spr|chr|sch|thr|ght|nch|rch|tch|ckl|ngl|mbl|ncl|rld)/;
/** A word: letters of any script, inner apostrophes, hyphens and dots, prose punctuation at the edges, markdown emphasis. */
const CLEAN_WORD = /^[("'“‘«¿¡*_`]*[\p{L}\p{M}\p{N}]+(?:['’\-–.&][\p{L}\p{M}\p{N}]+)*[.,;:!?)"'”’»*_`…]{0,3}$/u;
const NUMBER = /^[([]?[-+±~≈#]?[$€£¥]?\d[\d.,:/]*(?:%|[a-z]{1,3})?[.,;:!?)\]]{0,2}$/iu;
const URL_LIKE = /^[(<"'[]?(?:https?:\/\/|www\.)\S+$|^[(<"']?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:\/\S*)?[.,;:!?)>"']?$/iu;
const EMAIL = /^[<(]?[\w.+-]+@[\w-]+(?:\.[\w-]+)+[>),.;:]?$/u;
const HANDLE = /^[@#][\p{L}\p{N}_]+[.,;:!?]?$/u;
const EMOTICON = /^(?::-?[)(DPpO3\]/|]+|;-?[)D]+|<3+|[xX]D+|:'\(|\^_?\^|>_<|-_-|o_O|O_o|¯\\_\(ツ\)_\/¯)[.,!?]*$/u;
const PATH = /^[(<"'`]?(?:[A-Za-z]:\\|~?\.{0,2}\/)?(?:[\w.-]+[\\/])+[\w.-]*[)>"'`.,:]?$/u;
/** Code identifiers and calls: `arr.length`, `os.path.join()`, `snake_case`, `getUserById(id)`. */
const IDENTIFIER = /^[`(]?[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*(?:\([\w$., ]*\))?(?:\[\w*\])?[`;,.)]{0,2}$/u;
const MATH = /^[\p{L}\d^*+\-/=<>().,{}[\]|!%²³√π∑∫≤≥≠±·×÷'$]+$/u;
/** HTML tags and attributes, markdown links and images, entities. */
const MARKUP = /^(?:<\/?[a-z][\w-]*(?:\s|>|\/>|$)|<\/?[a-z][\w-]*>.*|[\w:-]+=(["']).*\1\/?>?(?:<\/?[a-z][\w-]*>)*[.,]?$|!?\[[^\]]*\]\([^)]*\)[.,;:]?$|\[!\[.*|&[a-z]+;|&#\d+;)/iu;
const ARROW = /^(?:->|=>|<-|<=|>=|<=>|-->|<--|==>|\.\.\.|\*\*\*|---|===|:=|::)$/u;
