/**
 * Semantic versions as policies and consent notices use them: `MAJOR.MINOR.PATCH` and nothing
 * else. No `v` prefix, no pre-release or build suffix, no leading zeros: a consent given to
 * `2.0.0-draft` must not pass for consent to `2.0.0`, and one version has one spelling.
 */
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
}

/** The one accepted spelling (also the policy schema's pattern). */
export const SEMVER_PATTERN = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/;

export function parseSemVer(text: string): SemVer | undefined {
  const m = SEMVER_PATTERN.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

export function isSemVer(value: unknown): value is string {
  return typeof value === 'string' && SEMVER_PATTERN.test(value);
}

/**
 * Negative when a < b, 0 when equal, positive when a > b. Strings are parsed; an unparsable
 * version sorts below every valid one (so it never meets a minimum).
 */
export function compareSemVer(a: SemVer | string, b: SemVer | string): number {
  const pa = typeof a === 'string' ? parseSemVer(a) : a;
  const pb = typeof b === 'string' ? parseSemVer(b) : b;
  if (pa == null || pb == null) return pa == null ? (pb == null ? 0 : -1) : 1;
  return pa.major - pb.major || pa.minor - pb.minor || pa.patch - pb.patch;
}
