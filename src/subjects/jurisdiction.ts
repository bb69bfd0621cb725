import type { JurisdictionSource } from './subject-context.js';
import { ISO_3166_ALIASES, ISO_3166_ALPHA2 } from './iso-3166.js';

/** Headers read by default, first present wins. Only trust them when your edge sets them (and strips the client's). */
export const DEFAULT_JURISDICTION_HEADERS: readonly string[] = ['x-saferoute-region', 'cf-ipcountry'];

export type HeaderBag =
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | { get(name: string): string | null };

/** A jurisdiction claimed by the app: a bare string counts as `declared`. */
export type JurisdictionInput = string | { code: string; source: JurisdictionSource };

export interface ResolvedJurisdiction {
  /** Normalised `CC` or `CC-SUB`; absent when unknown (the policy's `defaults.unknownJurisdiction` applies). */
  jurisdiction?: string;
  /** Where it came from; `unknown` when no source gave a well-formed code. */
  source: JurisdictionSource;
  /** Set when a source was present but its value unusable, e.g. `header:cf-ipcountry`. */
  rejected?: string;
}

const SHAPE = /^[A-Za-z]{2}(?:[-_][A-Za-z0-9]{1,3})?$/;

/**
 * What a jurisdiction value is: absent; an assigned ISO 3166-1 alpha-2 code with an optional
 * ISO 3166-2 subdivision (`code`); well-formed but not an assigned country (`XX`, `EU`, Tor's
 * `T1`: `unassigned`); or anything else (`malformed`: `KR-`, `US-UT, US-CA`, a zero-width
 * space, full-width letters). Only ASCII spaces around the value and letter case are forgiven;
 * `_` may stand for `-` and `UK` for `GB`.
 */
export type JurisdictionClass =
  | { kind: 'missing' }
  | { kind: 'code'; code: string }
  | { kind: 'unassigned'; code: string }
  | { kind: 'malformed' };

export function classifyJurisdiction(value: unknown): JurisdictionClass {
  if (value == null) return { kind: 'missing' };
  if (typeof value !== 'string' || value.length > 16) return { kind: 'malformed' };
  const trimmed = value.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  if (trimmed === '') return { kind: 'missing' };
  if (!SHAPE.test(trimmed)) return { kind: 'malformed' };
  const [head = '', sub] = trimmed.toUpperCase().split(/[-_]/);
  const country = ISO_3166_ALIASES[head] ?? head;
  const code = sub != null ? `${country}-${sub}` : country;
  return ISO_3166_ALPHA2.has(country) ? { kind: 'code', code } : { kind: 'unassigned', code };
}

/**
 * `gb` → `GB`, `us_ut` → `US-UT`, `UK` → `GB`; anything that is not an assigned ISO 3166-1 alpha-2
 * code with an optional ISO 3166-2 subdivision → undefined.
 */
export function normaliseJurisdiction(value: unknown): string | undefined {
  const c = classifyJurisdiction(value);
  return c.kind === 'code' ? c.code : undefined;
}

/** A jurisdiction value as it may be shown in a decision: printable ASCII, short, control and invisible characters escaped. */
export function displayJurisdiction(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  const escaped = text.slice(0, 24).replace(/[^\x21-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return text.length > 24 ? `${escaped}…` : escaped;
}

function readHeader(headers: HeaderBag, name: string): string | readonly string[] | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const bag = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  if (bag[name] !== undefined) return bag[name];
  for (const key of Object.keys(bag)) if (key.toLowerCase() === name) return bag[key];
  return undefined;
}

const CLAIMABLE_SOURCES: ReadonlySet<JurisdictionSource> = new Set(['declared', 'account', 'header', 'attestation']);

/**
 * The first source present decides: the app's own value (declared or from the account), then the
 * headers in order. A present but malformed value gives no jurisdiction rather than falling through
 * to the next source, so a broken integration shows up as `unknown` instead of a silent guess.
 */
export function resolveJurisdiction(input: {
  jurisdiction?: JurisdictionInput | undefined;
  headers?: HeaderBag | undefined;
  headerNames?: readonly string[] | undefined;
}): ResolvedJurisdiction {
  const claimed = input.jurisdiction;
  if (claimed != null) {
    const source: JurisdictionSource =
      typeof claimed === 'string' ? 'declared' : CLAIMABLE_SOURCES.has(claimed.source) ? claimed.source : 'declared';
    const code = normaliseJurisdiction(typeof claimed === 'string' ? claimed : claimed.code);
    return code != null ? { jurisdiction: code, source } : { source: 'unknown', rejected: source };
  }
  if (input.headers != null) {
    for (const name of input.headerNames ?? DEFAULT_JURISDICTION_HEADERS) {
      const raw = readHeader(input.headers, name.toLowerCase());
      if (raw == null) continue;
      // Several values for one header cannot be told apart: none of them is trusted.
      const values = typeof raw === 'string' ? raw.split(',') : raw;
      const codes = new Set(values.map((v) => normaliseJurisdiction(v)));
      const [only] = codes;
      if (codes.size === 1 && only != null) return { jurisdiction: only, source: 'header' };
      return { source: 'unknown', rejected: `header:${name.toLowerCase()}` };
    }
  }
  return { source: 'unknown' };
}
