import { SaferouteError } from '../errors.js';

/** Exit codes shared by every command (documented in the README). */
export const EXIT = {
  ok: 0,
  /** The thing checked is invalid: a policy, a log, a token, a data file under --strict. */
  invalid: 1,
  /** Policy tests ran and some failed (or none ran under --fail-on-empty). */
  testsFailed: 2,
  /** The command line itself is wrong. */
  usage: 64,
  /** A configuration problem stopped the command (missing key, unreadable file, bad policy). */
  config: 78,
  /** A bug: an error nobody anticipated. */
  internal: 70,
} as const;

/** The one place errors become exit codes. */
export function exitCodeFor(error: unknown): number {
  if (!(error instanceof SaferouteError)) return EXIT.internal;
  switch (error.code) {
    case 'usage':
      return EXIT.usage;
    case 'input_invalid':
      return EXIT.invalid;
    default:
      return EXIT.config;
  }
}
