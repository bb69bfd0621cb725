/**
 * The peers `eval:quality` runs beside the embedded classifier, in the same process on the same
 * rows, each at its own documented operating point and, where it gives one, with its score:
 *
 * - `llm_guardrail` 2.1.2 (jailbreak and prompt injection): `checkInjection` and `checkJailbreak`,
 *   flagged when either says `detected`; score = the larger threat probability.
 * - `@andersmyrmel/vard` 1.2.0 (prompt injection): the `moderate()` preset's `safeParse`, flagged
 *   when not safe; score = the highest threat severity (0 when safe).
 * - `obscenity` 0.4.6 (profanity and sexual words): its English dataset and recommended
 *   transformers; flagged on any match; score = the number of matches.
 * - `leo-profanity` 1.9.0 (profanity): `check`; flagged or not (score 0/1).
 */
import vard from '@andersmyrmel/vard';
import { checkInjection, checkJailbreak } from 'llm_guardrail';
import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from 'obscenity';
import leoProfanity from 'leo-profanity';

export interface PeerVerdict {
  flagged: boolean;
  score: number;
}

export interface Peer {
  name: string;
  judge(text: string): Promise<PeerVerdict>;
}

interface GuardrailResult {
  detected: boolean;
  confidence: number;
  probabilities?: { threat?: number };
}

const threatOf = (r: GuardrailResult): number => r.probabilities?.threat ?? (r.detected ? r.confidence : 1 - r.confidence);

export const llmGuardrail: Peer = {
  name: 'llm_guardrail',
  async judge(text) {
    const [injection, jailbreak] = (await Promise.all([checkInjection(text), checkJailbreak(text)])) as [GuardrailResult, GuardrailResult];
    return { flagged: injection.detected || jailbreak.detected, score: Math.max(threatOf(injection), threatOf(jailbreak)) };
  },
};

// vard refuses inputs over its length limit as a threat of their own; the comparison is about
// what it detects, so the limit is raised above the longest row.
const vardModerate = vard.moderate().maxLength(1_000_000);

export const vardPeer: Peer = {
  name: 'vard',
  async judge(text) {
    const r = vardModerate.safeParse(text) as { safe: boolean; threats?: { severity: number }[] };
    if (r.safe) return { flagged: false, score: 0 };
    return { flagged: true, score: Math.max(0, ...(r.threats ?? []).map((t) => t.severity)) };
  },
};

const obscenityMatcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });

export const obscenityPeer: Peer = {
  name: 'obscenity',
  async judge(text) {
    const n = obscenityMatcher.getAllMatches(text).length;
    return { flagged: n > 0, score: n };
  },
};

export const leoProfanityPeer: Peer = {
  name: 'leo-profanity',
  async judge(text) {
    const flagged = leoProfanity.check(text);
    return { flagged, score: flagged ? 1 : 0 };
  },
};
