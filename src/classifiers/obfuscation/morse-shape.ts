/** `.`, `-`, space and `/`: what a match of find-encoded-spans.ts's MORSE is made of. */
function isMorseChar(c: number): boolean {
  return c === 0x2e || c === 0x2d || c === 0x20 || c === 0x2f;
}

/**
 * Whether MORSE can match: its match is six or more groups of dots and dashes parted by spaces
 * or slashes, so it lies in a run of at least 11 of `.`, `-`, space and `/`. Such a run holds one
 * of every 11th char, so only those are read first (ordinary text with many full stops and
 * hyphens has no such run, and costs a tenth of a pass instead of the pattern's search).
 */
export function hasMorseShape(text: string): boolean {
  const n = text.length;
  for (let p = 10; p < n; p += 11) {
    if (!isMorseChar(text.charCodeAt(p))) continue;
    let from = p;
    while (from > 0 && isMorseChar(text.charCodeAt(from - 1))) from--;
    let to = p + 1;
    while (to < n && isMorseChar(text.charCodeAt(to))) to++;
    if (to - from >= 11) return true;
  }
  return false;
}
