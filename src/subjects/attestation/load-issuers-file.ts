import { dirname, resolve } from 'node:path';
import { readConfigJson } from './read-config-json.js';
import { AttestationConfigError } from './attestation-config-error.js';
import type { AttestationVerifierOptions } from './attestation-verifier.js';
import type { IssuerConfig } from './issuer-keys.js';

/** An issuers file: `{ "audience": "…", "clockSkewSec": 30, "issuers": [ … ] }`, or just the list. */
export interface IssuersFile {
  audience?: string | string[];
  clockSkewSec?: number;
  maxTokenBytes?: number;
  issuers: IssuerConfig[];
}

/**
 * Reads an issuers file into verifier options (without `audience` when the file has none).
 * Relative `jwksFile` paths are taken from the file's directory.
 */
export function loadIssuersFile(path: string): Omit<AttestationVerifierOptions, 'audience'> & { audience?: string | string[] } {
  const absolute = resolve(path);
  const parsed = readConfigJson(absolute, `issuers file \`${path}\``, {});
  const file = (Array.isArray(parsed) ? { issuers: parsed } : parsed) as Partial<IssuersFile> | null;
  if (typeof file !== 'object' || file == null || !Array.isArray(file.issuers)) {
    throw new AttestationConfigError(`issuers file \`${path}\` needs an \`issuers\` list`);
  }
  for (const [i, issuer] of file.issuers.entries()) {
    if (typeof issuer !== 'object' || issuer == null || typeof issuer.issuer !== 'string') {
      throw new AttestationConfigError(`issuers file \`${path}\`: entry ${i + 1} needs an \`issuer\``);
    }
  }
  const options: Omit<AttestationVerifierOptions, 'audience'> & { audience?: string | string[] } = { issuers: file.issuers, baseDir: dirname(absolute) };
  if (file.audience != null) options.audience = file.audience;
  if (typeof file.clockSkewSec === 'number') options.clockSkewSec = file.clockSkewSec;
  if (typeof file.maxTokenBytes === 'number') options.maxTokenBytes = file.maxTokenBytes;
  return options;
}
