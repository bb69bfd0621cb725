const WORDS = new Intl.Segmenter(undefined, { granularity: 'word' });
const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** How far back from the limit a word boundary is looked for; a longer word is cut between graphemes. */
const LOOKBACK = 64;
/** Context after the limit the segmenter needs to tell whether the limit itself is a boundary. */
const LOOKAHEAD = 32;

/**
 * Where a release of `text` that may go from `from` up to `to` should stop: the last word
 * boundary in `(from, to]` (Unicode word segmentation, so CJK text without spaces is cut between
 * words too); when none is within reach, a word longer than the reach is cut at the last grapheme
 * boundary — never inside a grapheme cluster or a surrogate pair. Returns `from` when nothing may go yet,
 * `text.length` when `to` reaches the end.
 */
export function releaseBoundary(text: string, from: number, to: number): number {
  if (to >= text.length) return text.length;
  if (to <= from) return from;
  const lo = Math.max(from, to - LOOKBACK);
  const piece = text.slice(lo, Math.min(text.length, to + LOOKAHEAD));
  const limit = to - lo;
  const word = lastBoundary(WORDS.segment(piece), limit);
  if (word != null) return lo + word;
  // No word ends in reach: a short one is waited for, a very long one (a URL, a run of symbols)
  // is cut between graphemes so the stream keeps moving.
  if (lo === from) return from;
  return lo + (lastBoundary(GRAPHEMES.segment(piece), limit) ?? 0);
}

/**
 * The last segment start in `(0, limit]`. The piece's own start is left out: it is where the
 * release began (nothing to add) or where the piece was cut, not a boundary.
 */
function lastBoundary(segments: Intl.Segments, limit: number): number | undefined {
  let best: number | undefined;
  for (const s of segments) {
    if (s.index > limit) break;
    if (s.index > 0) best = s.index;
  }
  return best;
}
