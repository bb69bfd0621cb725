import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { MAX_JSON_FILE_BYTES } from './json-limits.js';

export type ReadResult = { ok: true; text: string } | { ok: false; message: string; hint?: string };

export interface ReadJsonFileOptions {
  /**
   * Files reached indirectly (`extends`) must be regular files named `*.json` — the name they
   * are given and the file a symbolic link leads to. Off for a file the user names on the
   * command line, which may also be a pipe (`saferoute validate <(generate-policy)`).
   */
  strict?: boolean;
  /** Only a regular file, whatever its name (a file named in a configuration, such as a JWKS). */
  regularOnly?: boolean;
  maxBytes?: number;
}

/**
 * Reads a JSON document as UTF-8 text, refusing what could hang or flood the reader before
 * reading it: directories, devices (`/dev/urandom`), sockets, pipes where only regular files may
 * be (a FIFO would block forever), and files over `maxBytes`. The file is opened without blocking
 * and checked again through its descriptor, so swapping the path between the check and the read
 * gains nothing. Never quotes the file's content.
 */
export async function readJsonFile(absPath: string, options: ReadJsonFileOptions = {}): Promise<ReadResult> {
  const maxBytes = options.maxBytes ?? MAX_JSON_FILE_BYTES;
  try {
    const named = await stat(absPath);
    const refused = refuse(named, absPath, options, maxBytes) ?? (options.strict === true ? refuseTarget(absPath, await realpath(absPath)) : undefined);
    if (refused) return refused;
    const blockingPipe = named.isFIFO();
    const handle = await open(absPath, blockingPipe ? constants.O_RDONLY : constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const opened = await handle.stat();
      const again = refuse(opened, absPath, options, maxBytes);
      if (again) return again;
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const buffer = Buffer.alloc(Math.min(64 * 1024, maxBytes + 1 - total));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        chunks.push(buffer.subarray(0, bytesRead));
        total += bytesRead;
        if (total > maxBytes) return tooLarge(maxBytes);
      }
      return decode(Buffer.concat(chunks, total));
    } finally {
      await handle.close();
    }
  } catch (error) {
    return { ok: false, message: describeReadError(error) };
  }
}

/** `readJsonFile` for synchronous callers (`validatePolicyObject`). */
export function readJsonFileSync(absPath: string, options: ReadJsonFileOptions = {}): ReadResult {
  const maxBytes = options.maxBytes ?? MAX_JSON_FILE_BYTES;
  try {
    const named = statSync(absPath);
    const refused = refuse(named, absPath, options, maxBytes) ?? (options.strict === true ? refuseTarget(absPath, realpathSync(absPath)) : undefined);
    if (refused) return refused;
    const fd = openSync(absPath, named.isFIFO() ? constants.O_RDONLY : constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const again = refuse(fstatSync(fd), absPath, options, maxBytes);
      if (again) return again;
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const buffer = Buffer.alloc(Math.min(64 * 1024, maxBytes + 1 - total));
        const bytesRead = readSync(fd, buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        chunks.push(buffer.subarray(0, bytesRead));
        total += bytesRead;
        if (total > maxBytes) return tooLarge(maxBytes);
      }
      return decode(Buffer.concat(chunks, total));
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return { ok: false, message: describeReadError(error) };
  }
}

function refuse(s: Stats, absPath: string, options: ReadJsonFileOptions, maxBytes: number): ReadResult | undefined {
  const strict = options.strict === true;
  if (s.isDirectory()) return { ok: false, message: 'it is a directory' };
  const pipe = s.isFIFO();
  if (!s.isFile() && !(pipe && !strict && options.regularOnly !== true)) {
    return { ok: false, message: `it is ${kindOf(s)}, not a regular file`, hint: 'name a `.json` file' };
  }
  if (strict && !isJsonName(absPath)) {
    return { ok: false, message: 'only `.json` files can be read here', hint: 'a base policy is a `.json` file' };
  }
  if (s.isFile() && s.size > maxBytes) return tooLarge(maxBytes);
  return undefined;
}

/** A link named `base.json` must lead to a `.json` file too: the name is part of the promise. */
function refuseTarget(absPath: string, real: string): ReadResult | undefined {
  if (real === absPath || isJsonName(real)) return undefined;
  return { ok: false, message: 'it is a link to a file that is not named `.json`', hint: 'a base policy is a `.json` file' };
}

function isJsonName(p: string): boolean {
  return path.extname(p).toLowerCase() === '.json';
}

function kindOf(s: Stats): string {
  if (s.isFIFO()) return 'a pipe (FIFO)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

function tooLarge(maxBytes: number): ReadResult {
  return { ok: false, message: `the file is larger than ${formatBytes(maxBytes)}`, hint: 'policies, tests and subjects are small documents; is this the right file?' };
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decode(bytes: Buffer): ReadResult {
  try {
    return { ok: true, text: UTF8.decode(bytes) };
  } catch {
    return { ok: false, message: 'the file is not UTF-8 text' };
  }
}

/** A file-system error in words. */
export function describeReadError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
