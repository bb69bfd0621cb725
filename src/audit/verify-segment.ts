import { hash } from 'node:crypto';
import { HASH_SUFFIX_LENGTH } from './audit-record.js';
import { readCanonicalFields, type CanonicalFields } from './canonical-fields.js';
import type { LogVerifier } from './log-verifier.js';
import { readLineBatches } from './read-lines.js';

const SUFFIX_HEAD = Buffer.from(',"hash":"', 'latin1');

/** Streams one segment file into a verifier, hashing each line's bytes as stored. */
export async function feedSegmentFile(verifier: LogVerifier, path: string): Promise<void> {
  for await (const lines of readLineBatches(path)) {
    for (const raw of lines) {
      const bytes = raw.bytes;
      const stated = statedHashOfBytes(bytes);
      const read = stated ? readHashedBytes(bytes) : undefined;
      verifier.record({
        line: bytes.toString('utf8'),
        lineNo: raw.lineNo,
        terminated: raw.terminated,
        statedHash: stated,
        actualHash: read?.digest,
        ...(read?.fields ? { fields: read.fields } : {}),
      });
    }
  }
}

/** The hash a stored line states in its fixed-size suffix `,"hash":"<64 hex>"}`, checked byte by byte. */
function statedHashOfBytes(bytes: Buffer): string | undefined {
  const n = bytes.length;
  if (n < HASH_SUFFIX_LENGTH || bytes[n - 1] !== 0x7d || bytes[n - 2] !== 0x22) return undefined;
  const start = n - HASH_SUFFIX_LENGTH;
  if (bytes.compare(SUFFIX_HEAD, 0, SUFFIX_HEAD.length, start, start + SUFFIX_HEAD.length) !== 0) return undefined;
  for (let i = start + SUFFIX_HEAD.length; i < n - 2; i++) {
    const c = bytes[i] as number;
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return undefined;
  }
  return bytes.toString('latin1', start + SUFFIX_HEAD.length, n - 2);
}

/**
 * The bytes a line with a hash suffix claims to hash (the line up to its suffix, closed by `}`):
 * their SHA-256, and their chain fields when they are canonical JSON the verifier can read without
 * parsing. The suffix's leading comma is swapped for that brace meanwhile, so the bytes are read
 * in place.
 */
function readHashedBytes(bytes: Buffer): { digest: string; fields: CanonicalFields | undefined } {
  const close = bytes.length - HASH_SUFFIX_LENGTH;
  const comma = bytes[close] as number;
  bytes[close] = 0x7d;
  try {
    return { digest: hash('sha256', bytes.subarray(0, close + 1), 'hex'), fields: readCanonicalFields(bytes, close + 1) };
  } finally {
    bytes[close] = comma;
  }
}
