/** `MAJOR.MINOR.PATCH` only, as in policy files: pre-releases have no place in a consent notice. */
const SEMVER = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/;

export function parseSemver(version: string): [number, number, number] | undefined {
  const m = SEMVER.exec(version);
  return m == null ? undefined : [Number(m[1]), Number(m[2]), Number(m[3])];
}

export function isSemver(version: unknown): version is string {
  return typeof version === 'string' && SEMVER.test(version);
}

/** Negative, zero or positive like a sort comparator; an unparsable version sorts below everything. */
export function compareSemver(a: string, b: string): number {
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  if (pa == null || pb == null) return pa == null ? (pb == null ? 0 : -1) : 1;
  return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2];
}

/**
 * Whether consent given to `version` meets a policy's `minVersion`. Publishing a new major version
 * of a notice means raising the policy's `minVersion` to `N.0.0`: consent to any older major then
 * no longer meets it (the engine reports `consent_outdated`) until the person consents afresh.
 */
export function consentVersionMeets(version: string | undefined, minVersion: string): boolean {
  if (version == null || parseSemver(version) == null || parseSemver(minVersion) == null) return false;
  return compareSemver(version, minVersion) >= 0;
}
