import type { Category } from './categories.js';

/** Llama Guard 3 hazard codes (MLCommons AI Safety taxonomy, S1–S14). */
export const LLAMA_GUARD_CODES = {
  S1: 'Violent Crimes',
  S2: 'Non-Violent Crimes',
  S3: 'Sex-Related Crimes',
  S4: 'Child Sexual Exploitation',
  S5: 'Defamation',
  S6: 'Specialized Advice',
  S7: 'Privacy',
  S8: 'Intellectual Property',
  S9: 'Indiscriminate Weapons',
  S10: 'Hate',
  S11: 'Suicide & Self-Harm',
  S12: 'Sexual Content',
  S13: 'Elections',
  S14: 'Code Interpreter Abuse',
} as const;

export type LlamaGuardCode = keyof typeof LLAMA_GUARD_CODES;

/**
 * Each code maps to the canonical categories it is evidence for. S3 (sex-related crimes: assault,
 * trafficking, sexual harassment) maps to `sexual/non-consensual` and S4 to `sexual/minors`;
 * neither raises the adult `sexual` category, which only S12 does.
 */
export const LLAMA_GUARD_TO_CANONICAL: Readonly<Record<LlamaGuardCode, readonly Category[]>> = {
  S1: ['illicit/violent', 'violence'],
  S2: ['illicit'],
  S3: ['sexual/non-consensual'],
  S4: ['sexual/minors'],
  S5: ['defamation'],
  S6: ['specialized-advice'],
  S7: ['pii'],
  S8: ['intellectual-property'],
  S9: ['weapons/indiscriminate'],
  S10: ['hate'],
  S11: ['self-harm'],
  S12: ['sexual'],
  S13: ['elections'],
  S14: ['code-abuse'],
};

export function isLlamaGuardCode(value: string): value is LlamaGuardCode {
  return Object.prototype.hasOwnProperty.call(LLAMA_GUARD_CODES, value);
}

/** The reverse table: which Llama Guard codes are evidence for a canonical category. */
export function llamaGuardSourcesOf(category: Category): LlamaGuardCode[] {
  return (Object.keys(LLAMA_GUARD_TO_CANONICAL) as LlamaGuardCode[]).filter((code) =>
    LLAMA_GUARD_TO_CANONICAL[code].includes(category),
  );
}
