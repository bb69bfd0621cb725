import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';
import { didYouMeanSuffix } from '../policy/did-you-mean.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: boolean; strict: true }>>;

/** `node:util` parseArgs with strict checking, turning its errors into a `UsageError`. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, allowPositionals = true): Parsed<O> {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/^[A-Z]/, (c) => c.toLowerCase()) : String(error);
    // `--key-id -Ab3…`: a value starting with a dash reads as an option; the `=` form takes it.
    const ambiguous = /^option '(--?[^' ]+)[^']*' argument is ambiguous/.exec(message)?.[1];
    if (ambiguous !== undefined) {
      const at = argv.indexOf(ambiguous);
      const value = at >= 0 ? argv[at + 1] : undefined;
      throw new UsageError(
        value !== undefined
          ? `\`${ambiguous} ${value}\`: the value starts with a dash, so it reads as an option; write it as \`${ambiguous}=${value}\``
          : `\`${ambiguous}\` is missing its value; a value starting with a dash goes as \`${ambiguous}=VALUE\``,
      );
    }
    // "unknown option '--clasifier'" gets the closest option the command has.
    const unknown = /unknown option '(--?[^']+)'/.exec(message)?.[1];
    const hint = unknown?.startsWith('--') ? didYouMeanSuffix(unknown, Object.keys(options).map((o) => `--${o}`)) : '';
    throw new UsageError(message.replace(/\. To specify a positional argument.*$/s, '') + hint);
  }
}
