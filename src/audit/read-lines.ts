import { createReadStream } from 'node:fs';

export interface RawLine {
  /** The line's bytes without the newline (a view into a larger buffer: copy before keeping). */
  bytes: Buffer;
  /** 1-based. */
  lineNo: number;
  /** False for a last line with no newline: an incomplete write. */
  terminated: boolean;
}

/**
 * Streams a file's lines as byte views, in large reads. Lines are split on the newline byte, which
 * never occurs inside a UTF-8 multi-byte sequence, so hashing the bytes needs no decoding.
 */
export async function* readLines(path: string, options: { start?: number; highWaterMark?: number } = {}): AsyncGenerator<RawLine> {
  for await (const lines of readLineBatches(path, options)) yield* lines;
}

/**
 * The same lines, handed over one read at a time: a caller that handles each line synchronously
 * (the verifier) pays for one `await` per read instead of one per line.
 */
export async function* readLineBatches(path: string, options: { start?: number; highWaterMark?: number } = {}): AsyncGenerator<RawLine[]> {
  const stream = createReadStream(path, { highWaterMark: options.highWaterMark ?? 1 << 20, start: options.start ?? 0 });
  let carry: Buffer | undefined;
  let lineNo = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const lines: RawLine[] = [];
    let pos = 0;
    if (carry) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        carry = Buffer.concat([carry, chunk]);
        continue;
      }
      lines.push({ bytes: Buffer.concat([carry, chunk.subarray(0, nl)]), lineNo: ++lineNo, terminated: true });
      carry = undefined;
      pos = nl + 1;
    }
    for (;;) {
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) break;
      lines.push({ bytes: chunk.subarray(pos, nl), lineNo: ++lineNo, terminated: true });
      pos = nl + 1;
    }
    if (pos < chunk.length) carry = Buffer.from(chunk.subarray(pos));
    if (lines.length > 0) yield lines;
  }
  if (carry && carry.length > 0) yield [{ bytes: carry, lineNo: ++lineNo, terminated: false }];
}

/** The first line of a file (up to `maxBytes`), for a segment's first timestamp. */
export async function readFirstLine(path: string, maxBytes = 1 << 20): Promise<string | undefined> {
  for await (const line of readLines(path, { highWaterMark: 64 * 1024 })) {
    return line.terminated || line.bytes.length < maxBytes ? line.bytes.toString('utf8') : undefined;
  }
  return undefined;
}
