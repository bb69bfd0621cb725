import { fileURLToPath } from 'node:url';

/** The policies that ship with the package; the same relative path works from src/ and dist/. */
const POLICIES_DIR = new URL('../../policies/', import.meta.url);

export function shippedPolicyPath(name: 'default' | 'strict' | string): string {
  return fileURLToPath(new URL(`${name}.json`, POLICIES_DIR));
}

export function shippedPoliciesDir(): string {
  return fileURLToPath(POLICIES_DIR);
}
