import { readFirstLine } from './read-lines.js';
import type { SegmentFile } from './segment-files.js';

/**
 * The segments that can hold records in [from, to]. Timestamps never decrease along a writer's
 * chain, so a segment whose successor starts at or before `from` lies wholly before it.
 */
export async function segmentWindow(all: SegmentFile[], from: number | undefined, to: number | undefined): Promise<{ segments: SegmentFile[]; anchored: boolean; cut: boolean }> {
  if (from === undefined && to === undefined) return { segments: all, anchored: false, cut: false };
  const firsts: (number | undefined)[] = [];
  for (const s of all) firsts.push(firstTsOf(await readFirstLine(s.path)));
  let start = 0;
  if (from !== undefined) {
    firsts.forEach((ts, i) => {
      if (ts !== undefined && ts <= from) start = i;
    });
  }
  let end = all.length;
  if (to !== undefined) {
    const after = firsts.findIndex((ts, i) => i > start && ts !== undefined && ts > to);
    if (after >= 0) end = after;
  }
  return { segments: all.slice(start, end), anchored: start > 0, cut: end < all.length };
}

function firstTsOf(line: string | undefined): number | undefined {
  if (!line) return undefined;
  try {
    const ts = (JSON.parse(line) as { ts?: unknown }).ts;
    const ms = typeof ts === 'string' ? Date.parse(ts) : Number.NaN;
    return Number.isFinite(ms) ? ms : undefined;
  } catch {
    return undefined;
  }
}

