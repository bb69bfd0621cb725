/**
 * Writing a command's output when the reader may go away (`saferoute audit query … | head -5`).
 *
 * A closed pipe makes the stream emit `error` (EPIPE) asynchronously; with no listener that is an
 * uncaught exception and a stack trace. `guardOutput` absorbs it (the stream is destroyed, later
 * writes are dropped), and `writeOut` turns a closed stream into `OutputClosedError`, which
 * `runCli` maps to a quiet exit 0, so streaming commands stop instead of reading on.
 */

/** The reader of stdout has gone away; not a failure of the command. */
export class OutputClosedError extends Error {
  readonly code = 'output_closed';
  constructor() {
    super('the output stream was closed by its reader');
    this.name = 'OutputClosedError';
  }
}

/** Error codes that mean "nobody reads this any more". */
const CLOSED_CODES = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

export function isOutputClosedError(error: unknown): boolean {
  if (error instanceof OutputClosedError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CLOSED_CODES.has(code);
}

const guarded = new WeakSet<object>();

/**
 * Absorbs EPIPE-like errors on an output stream (once per stream). Other errors are re-raised as
 * before, so a real failure still surfaces.
 */
export function guardOutput(stream: NodeJS.WritableStream): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on('error', (error: unknown) => {
    if (!isOutputClosedError(error)) throw error;
  });
}

function isClosed(stream: NodeJS.WritableStream): boolean {
  const s = stream as NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean; errored?: unknown };
  return s.destroyed === true || s.writableEnded === true || (s.errored != null && isOutputClosedError(s.errored));
}

/**
 * Writes to a command's stdout, waiting when the pipe is full (a large query piped to `head`).
 * Throws `OutputClosedError` once the reader has closed the stream.
 */
export async function writeOut(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (text.length === 0) return;
  guardOutput(stream);
  if (isClosed(stream)) throw new OutputClosedError();
  if (stream.write(text)) {
    if (isClosed(stream)) throw new OutputClosedError();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const done = (closed: boolean): void => {
      stream.off('drain', onDrain);
      stream.off('close', onClose);
      stream.off('error', onError);
      if (closed) reject(new OutputClosedError());
      else resolve();
    };
    const onDrain = (): void => done(false);
    const onClose = (): void => done(true);
    const onError = (): void => done(true);
    stream.on('drain', onDrain);
    stream.on('close', onClose);
    stream.on('error', onError);
    if (isClosed(stream)) done(true);
  });
}

/** For a command's last write, after its exit status is decided: a closed reader changes nothing. */
export async function writeLast(stream: NodeJS.WritableStream, text: string): Promise<void> {
  try {
    await writeOut(stream, text);
  } catch (error) {
    if (!(error instanceof OutputClosedError)) throw error;
  }
}
