export type LlamaGuardVerdict = { safe: boolean; codes: string[] } | { error: string };

const VERDICT_WORD = /\b(unsafe|safe)\b/i;
const HAZARD_CODE = /\bS0*(\d{1,3})\b/gi;

/**
 * Reads Llama Guard's answer: `safe`, or `unsafe` followed by hazard codes (`S1,S10`) on the
 * same line or the next. Tolerates surrounding whitespace, any case, codes separated by commas
 * or spaces, leading zeros and extra words around them. Codes are returned canonical (`S10`),
 * deduplicated, in order of appearance, unknown ones included (the caller decides what to map).
 *
 * What it refuses, as `{ error }`, so the caller fails closed instead of guessing: no verdict
 * word at all, and `safe` followed by hazard codes (a contradiction the model never produces
 * unless something is wrong).
 */
export function parseLlamaGuardVerdict(text: string): LlamaGuardVerdict {
  if (typeof text !== 'string') return { error: 'the verdict is not text' };
  const match = VERDICT_WORD.exec(text);
  if (!match) {
    const shown = text.trim().slice(0, 60);
    return { error: shown === '' ? 'the verdict is empty' : `no \`safe\` or \`unsafe\` in the verdict \`${shown}\`` };
  }
  const rest = text.slice(match.index + match[0].length);
  const codes: string[] = [];
  for (const m of rest.matchAll(HAZARD_CODE)) {
    const code = `S${Number(m[1])}`;
    if (!codes.includes(code)) codes.push(code);
  }
  const safe = (match[1] as string).toLowerCase() === 'safe';
  if (safe && codes.length > 0) return { error: `contradictory verdict: \`safe\` followed by ${codes.join(', ')}` };
  return { safe, codes };
}
