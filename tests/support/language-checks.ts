import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/decision/decision.js';
import { decideShipped } from './shipped-policy-runtime.js';

/** One language's cases for the shipped policies, written for the test (no training or eval row). */
export interface LanguageCases {
  language: string;
  /** Blocked by strict; blocked by default or answered with the `harmful-request` warning. */
  harmful: readonly string[];
  /** Blocked by neither policy, and given no `harmful-request` warning by default. */
  safe: readonly string[];
  /** Blocked by default as `jailbreak`. */
  injections: readonly string[];
  /** Questions about prompt injection: answered by both policies. */
  aboutInjection: readonly string[];
  /** Known over-blocks, pinned with `it.fails` so the test turns red when one is answered. */
  knownOverBlocks?: readonly string[];
}

const flagged = (d: Decision): boolean => d.outcome === 'block' || d.warnings.includes('harmful-request');

/** The checks every added language's lexicons are held to (`classifiers/lexicons/*.LANG.json`). */
export function describeLanguageChecks(cases: LanguageCases): void {
  describe(cases.language, () => {
    it.each(cases.harmful)('blocks (strict) and flags (default): %s', async (text) => {
      const strict = await decideShipped('strict', text);
      expect(strict.outcome, `strict: ${JSON.stringify(strict.scores)}`).toBe('block');
      const byDefault = await decideShipped('default', text);
      expect(flagged(byDefault), `default: ${JSON.stringify(byDefault.scores)}`).toBe(true);
    });

    it.each(cases.safe)('answers: %s', async (text) => {
      const strict = await decideShipped('strict', text);
      expect(strict.outcome, `strict: ${JSON.stringify(strict.scores)}`).toBe('route');
      const byDefault = await decideShipped('default', text);
      expect(byDefault.outcome, `default: ${JSON.stringify(byDefault.scores)}`).toBe('route');
      expect(byDefault.warnings).not.toContain('harmful-request');
    });

    it.each(cases.injections)('blocks the prompt injection (default): %s', async (text) => {
      const byDefault = await decideShipped('default', text);
      expect(byDefault.outcome, `default: ${JSON.stringify(byDefault.scores)}`).toBe('block');
      expect(byDefault.reason).toBe('jailbreak');
    });

    it.each(cases.aboutInjection)('answers the question about prompt injection: %s', async (text) => {
      for (const policy of ['default', 'strict'] as const) {
        const d = await decideShipped(policy, text);
        expect(d.outcome, `${policy}: ${JSON.stringify(d.scores)}`).toBe('route');
      }
    });

    // A defender's question that quotes the injection word for word is refused, in English too
    // ("How do I protect my chatbot against 'ignore all previous instructions' attacks?").
    if (cases.knownOverBlocks?.length) {
      it.fails.each(cases.knownOverBlocks)('(known over-block) answers: %s', async (text) => {
        for (const policy of ['default', 'strict'] as const) expect((await decideShipped(policy, text)).outcome, policy).toBe('route');
      });
    }
  });
}
