import { SaferouteError } from '../../errors.js';

/** A lexicon file or blocklist that cannot be used: unreadable, not JSON, or invalid. */
export class LexiconError extends SaferouteError {
  /** The file (or `blocklist ID`, or `lexicon CATEGORY` for one given in code) at fault. */
  readonly file: string;
  readonly problems: readonly string[];

  constructor(file: string, problems: readonly string[], options?: { cause?: unknown }) {
    super('lexicon_invalid', `${file}: ${problems.join('; ')}`, options);
    this.file = file;
    this.problems = problems;
  }
}
