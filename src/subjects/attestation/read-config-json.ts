import { findLimitViolation } from '../../policy/json-limits.js';
import { readJsonFileSync } from '../../policy/read-json-file.js';
import { AttestationConfigError } from './attestation-config-error.js';

/**
 * Reads a JSON configuration file (issuers, JWKS) bounded like a policy: no devices, no endless
 * reads, no deep nesting, and no error message that quotes the file (it may not be JSON at all).
 */
export function readConfigJson(absolute: string, what: string, options: { regularOnly?: boolean }): unknown {
  const read = readJsonFileSync(absolute, options.regularOnly === true ? { regularOnly: true } : {});
  if (!read.ok) throw new AttestationConfigError(`cannot read ${what}: ${read.message}`);
  const violation = findLimitViolation(read.text);
  if (violation) throw new AttestationConfigError(`cannot read ${what}: ${violation.message}`);
  try {
    return JSON.parse(read.text) as unknown;
  } catch (e) {
    throw new AttestationConfigError(`cannot read ${what}: it is not valid JSON`, { cause: e });
  }
}
