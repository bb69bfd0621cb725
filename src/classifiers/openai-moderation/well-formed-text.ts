// Without the `u` flag these match UTF-16 code units, which is what a lone surrogate is.
const HAS_LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// A separate global instance: a global regex keeps `lastIndex` between `test` calls.
const LONE_SURROGATES = new RegExp(HAS_LONE_SURROGATE.source, 'g');

/**
 * Replaces lone UTF-16 surrogates with U+FFFD before text goes on the wire: JSON allows them
 * escaped, but upstream servers reject or mangle them, and a 400 for one bad character would
 * fail a whole batch. (`String.prototype.toWellFormed` is ES2024, beyond our `lib`.)
 */
export function wellFormedText(text: string): string {
  return HAS_LONE_SURROGATE.test(text) ? text.replace(LONE_SURROGATES, '\uFFFD') : text;
}
