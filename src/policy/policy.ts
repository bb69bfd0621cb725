import type {
  AgeRequirement,
  Blocklist,
  ConsentRequirement,
  Jurisdiction,
  OnUnmet,
  Rule,
  Target,
} from './policy-schema.js';

/** A target with its requirements and `onUnmet` always present (`{ consent: [] }`, block). */
export interface ResolvedTarget extends Target {
  requirements: { age?: AgeRequirement; consent: ConsentRequirement[] };
  onUnmet: OnUnmet;
}

export interface ResolvedRule extends Rule {
  warnings: string[];
}

/**
 * A policy after `extends` was merged and every default filled in. It is assignable to
 * `PolicyDocument`, so code written against the file format reads it unchanged; `$schema` and
 * `extends` are gone (the files it came from are in `Policy.sources`).
 *
 * `classifiers.input` / `output` stay absent when no file names any: absent means "the engine's
 * default classifiers", while an empty list would mean "classify nothing" — never a silent default.
 */
export interface ResolvedPolicy {
  readonly id: string;
  readonly revision: string;
  readonly description?: string;
  readonly mode: 'enforce' | 'monitor';
  readonly ageFloor?: number;
  readonly classifiers: { input?: string[]; output?: string[] };
  readonly targets: Record<string, ResolvedTarget>;
  readonly jurisdictions: Record<string, Jurisdiction>;
  readonly blocklists: Blocklist[];
  readonly rules: ResolvedRule[];
  readonly defaults: { route: string; onClassifierError: 'block' | 'strictest'; unknownJurisdiction: 'strictest' | 'default-row' };
  readonly output: {
    onBlock: 'refuse' | 'replace';
    replacement?: string;
    streaming: { mode: 'hold-back' | 'progressive'; holdBackChars: number; checkEveryChars: number };
  };
  readonly input: { historyMessages: number; includeSystem: boolean; extraText: 'classify' | 'refuse' };
  readonly audit: { text: 'digest' | 'redacted' | 'full' };
  readonly messages: Record<string, string>;
}

/** A loaded, validated, deep-frozen policy. */
export interface Policy {
  readonly id: string;
  readonly revision: string;
  /** Hex SHA-256 of the canonical JSON (RFC 8785) of `document`: same meaning, same hash. */
  readonly sha256: string;
  readonly document: ResolvedPolicy;
  /** The files it was built from, the policy itself first, then each base in turn (absolute paths; `<object>` for an object). */
  readonly sources: string[];
}
