/** What every CLI command gets: its own streams and environment, so tests can run it in-process. */
export interface CommandContext {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin?: NodeJS.ReadableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** One file per command under `src/cli/commands/`; `main.ts` only dispatches. */
export interface Command {
  /** The words that select it, e.g. `validate` or `audit verify`. */
  name: string;
  summary: string;
  /** Full help text printed by `saferoute help NAME` and on a usage error. */
  usage: string;
  /** Returns the process exit code; throws `SaferouteError` for the caller to map to one. */
  run(argv: string[], ctx: CommandContext): Promise<number>;
}
