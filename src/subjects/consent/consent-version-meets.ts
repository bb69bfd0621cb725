import { parseSemVer, compareSemVer } from '../../util/semver.js';

/**
 * Whether consent given to `version` meets a policy's `minVersion`. Publishing a new major version
 * of a notice means raising the policy's `minVersion` to `N.0.0`: consent to any older major then
 * no longer meets it (the engine reports `consent_outdated`) until the person consents afresh.
 */
export function consentVersionMeets(version: string | undefined, minVersion: string): boolean {
  if (version == null || parseSemVer(version) == null || parseSemVer(minVersion) == null) return false;
  return compareSemVer(version, minVersion) >= 0;
}
