import { SaferouteError } from '../errors.js';

/**
 * Thrown by `loadPolicyOrThrow` (and so by `createGuard({ policy: FILE })`) when the policy file
 * does not exist: a wrong path, not a wrong policy.
 */
export class PolicyNotFoundError extends SaferouteError {
  /** The path as given. */
  readonly file: string;
  /** Where it was looked for. */
  readonly path: string;
  constructor(file: string, path: string) {
    super(
      'policy_not_found',
      `policy file \`${file}\` not found (looked for \`${path}\`); a relative path starts at the working directory; the policies saferoute ships are at \`shippedPolicyPath('default')\` and \`shippedPolicyPath('strict')\``,
    );
    this.file = file;
    this.path = path;
  }
}
