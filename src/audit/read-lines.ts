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
  const stream = createReadStream(path, { highWaterMark: options.highWaterMark ?? 1 << 20, start: options.start ?? 0 });
  let carry: Buffer | undefined;
  let lineNo = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let buf = chunk;
    let pos = 0;
    if (carry) {
      const nl = buf.indexOf(10);
      if (nl < 0) {
        carry = Buffer.concat([carry, buf]);
        continue;
      }
      const line = Buffer.concat([carry, buf.subarray(0, nl)]);
      carry = undefined;
      yield { bytes: line, lineNo: ++lineNo, terminated: true };
      pos = nl + 1;
    }
    for (;;) {
      const nl = buf.indexOf(10, pos);
      if (nl < 0) break;
      yield { bytes: buf.subarray(pos, nl), lineNo: ++lineNo, terminated: true };
      pos = nl + 1;
    }
    if (pos < buf.length) carry = Buffer.from(buf.subarray(pos));
    buf = Buffer.alloc(0);
  }
  if (carry && carry.length > 0) yield { bytes: carry, lineNo: ++lineNo, terminated: false };
}

/** The first line of a file (up to `maxBytes`), for a segment's first timestamp. */
export async function readFirstLine(path: string, maxBytes = 1 << 20): Promise<string | undefined> {
  for await (const line of readLines(path, { highWaterMark: 64 * 1024 })) {
    return line.terminated || line.bytes.length < maxBytes ? line.bytes.toString('utf8') : undefined;
  }
  return undefined;
}
