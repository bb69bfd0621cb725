/**
 * Colours that mean the same thing in every chart and every report: blocked is always red, each
 * target keeps its colour (by name, never by rank, so `sfw` does not turn purple because another
 * target got busier), and counts with no outcome attached are neutral.
 */
export const BLOCK_COLOR = '#c0392b';
export const NEUTRAL_COLOR = '#5d6d7e';
/** Things that lead to blocks or weaken decisions: unmet requirements, classifier failures. */
export const CAUTION_COLOR = '#b9770e';
/** The policy's `route` verdict, whatever the target: not a target's colour, not red. */
export const ROUTE_COLOR = '#8a99a8';

const KNOWN_TARGETS: Record<string, string> = {
  sfw: '#2e8540',
  restricted: '#7d3c98',
  private: '#1f6fb2',
};

/** No red and no orange in here: those say "blocked" and "caution". */
const TARGET_PALETTE = ['#16808a', '#4b5d9a', '#8a6d3b', '#3c7d3e', '#9c4f96', '#2d6a8f', '#6b7f2a', '#7a5230'];

export function targetColor(target: string): string {
  const known = KNOWN_TARGETS[target];
  if (known) return known;
  // FNV-1a: the same name gets the same colour in every report.
  let h = 0x811c9dc5;
  for (let i = 0; i < target.length; i++) h = Math.imul(h ^ target.charCodeAt(i), 0x01000193);
  return TARGET_PALETTE[(h >>> 0) % TARGET_PALETTE.length] as string;
}

/** `block`, or the target a decision was routed to. */
export function outcomeKeyColor(key: string): string {
  return key === 'block' ? BLOCK_COLOR : targetColor(key);
}
