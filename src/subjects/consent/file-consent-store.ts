import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, truncate, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CONSENT_STATES } from '../subject-context.js';
import { createPseudonymiser, pseudonymKeyCheck, type PseudonymKey } from '../pseudonym.js';
import { COLLECTION_METHODS, ConsentRecordError, createConsentRecord, isValidSubjectId, type ConsentEventInput, type ConsentRecord } from './consent-record.js';
import { consentStateAt, type ConsentStatus } from './consent-state.js';
import type { ConsentStore } from './consent-store.js';
import { ConsentStoreError } from './consent-store-error.js';
import { acquireFileLock } from './file-lock.js';
import { nodeDurableFs, syncDirectory, writeFully } from '../../util/durable-fs.js';

export interface FileConsentStoreOptions {
  /** The JSONL file; created (with its directory) when missing. */
  path: string;
  pseudonymKey: PseudonymKey;
  /** Clock for events appended without `at`. */
  now?: () => Date;
}

export interface CompactionResult {
  events: number;
  bytesBefore: number;
  bytesAfter: number;
}

export interface FileConsentStore extends ConsentStore {
  readonly path: string;
  /** Bytes of a torn or corrupt tail found and cut off when the file was opened (0 normally). */
  readonly recoveredBytes: number;
  /** Number of events held. */
  readonly size: number;
  /**
   * Rewrites the file (temp file, fsync, rename, directory fsync). The full history is kept: consent
   * records are evidence, so compaction never drops an event; it only leaves a clean file behind.
   */
  compact(): Promise<CompactionResult>;
}

const FORMAT = 'saferoute-consent/v1';

interface Header {
  format: typeof FORMAT;
  keyCheck: string;
  createdAt: string;
}

/** `<16 hex of SHA-256(json)> <json>\n`: a line that does not check out was torn or damaged. */
function encodeLine(value: object): string {
  const json = JSON.stringify(value);
  return `${createHash('sha256').update(json).digest('hex').slice(0, 16)} ${json}\n`;
}

function decodeLine(line: string): unknown {
  if (line.length < 18 || line[16] !== ' ') return undefined;
  const json = line.slice(17);
  if (createHash('sha256').update(json).digest('hex').slice(0, 16) !== line.slice(0, 16)) return undefined;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}

const STATES: ReadonlySet<string> = new Set(CONSENT_STATES);
const METHODS: ReadonlySet<string> = new Set(COLLECTION_METHODS);

function isRecord(v: unknown): v is ConsentRecord {
  if (typeof v !== 'object' || v == null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.recordId === 'string' &&
    typeof r.subject === 'string' &&
    typeof r.scope === 'string' &&
    typeof r.version === 'string' &&
    typeof r.state === 'string' &&
    STATES.has(r.state) &&
    typeof r.at === 'string' &&
    typeof r.collectionMethod === 'string' &&
    METHODS.has(r.collectionMethod)
  );
}

function isHeader(v: unknown): v is Header {
  return typeof v === 'object' && v != null && (v as Header).format === FORMAT && typeof (v as Header).keyCheck === 'string';
}

interface Loaded {
  header: Header | undefined;
  records: ConsentRecord[];
  validBytes: number;
  totalBytes: number;
}

/**
 * Reads the longest valid prefix. Appends are whole lines followed by fsync, so a crash can only
 * damage the end: an invalid tail is cut off. A valid line after an invalid one means damage in
 * the middle, which no crash explains — refuse to open rather than drop a withdrawal silently.
 */
async function load(path: string): Promise<Loaded> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { header: undefined, records: [], validBytes: 0, totalBytes: 0 };
    throw new ConsentStoreError(`cannot read consent store \`${path}\`: ${(e as Error).message}`, { cause: e });
  }
  let header: Header | undefined;
  const records: ConsentRecord[] = [];
  let offset = 0;
  let validBytes = 0;
  let firstBadLine = 0;
  let lineNo = 0;
  while (offset < buf.length) {
    const nl = buf.indexOf(0x0a, offset);
    if (nl === -1) break;
    lineNo++;
    const value = decodeLine(buf.toString('utf8', offset, nl));
    offset = nl + 1;
    if (value === undefined) {
      firstBadLine ||= lineNo;
      continue;
    }
    if (firstBadLine) {
      throw new ConsentStoreError(`consent store \`${path}\` is damaged at line ${firstBadLine} (valid lines follow it); restore it from a backup`);
    }
    if (header == null) {
      if (!isHeader(value)) throw new ConsentStoreError(`\`${path}\` is not a saferoute consent store (no header line)`);
      header = value;
    } else if (isRecord(value)) {
      records.push(value);
    } else {
      throw new ConsentStoreError(`consent store \`${path}\` line ${lineNo} is not a consent record`);
    }
    validBytes = offset;
  }
  if (header == null && buf.length > 0 && (buf.includes(0x0a) || buf.length > 512)) {
    // Only a header torn by a crash during creation may be replaced; anything else is someone's file.
    throw new ConsentStoreError(`\`${path}\` is not a saferoute consent store`);
  }
  return { header, records, validBytes, totalBytes: buf.length };
}

/**
 * The embedded consent store: an append-only JSONL file, each line checksummed, fsync'd before an
 * append is acknowledged (concurrent appends share one write and one fsync), with an in-memory
 * index subject → scope → events for lookups. One process at a time (a lock file); use the
 * PostgreSQL store for several gateway instances.
 */
export async function createFileConsentStore(options: FileConsentStoreOptions): Promise<FileConsentStore> {
  const path = options.path;
  const now = options.now ?? (() => new Date());
  const pseudonym = createPseudonymiser(options.pseudonymKey);
  const keyCheck = pseudonymKeyCheck(options.pseudonymKey);
  const tmpPath = `${path}.compact.tmp`;

  await mkdir(dirname(path), { recursive: true }).catch((e: unknown) => {
    throw new ConsentStoreError(`cannot create the directory of \`${path}\`: ${(e as Error).message}`, { cause: e });
  });
  const releaseLock = await acquireFileLock(`${path}.lock`, path);

  let fh: FileHandle;
  let recoveredBytes = 0;
  const all: ConsentRecord[] = [];
  const index = new Map<string, Map<string, ConsentRecord[]>>();
  const byId = new Map<string, ConsentRecord>();

  function addToIndex(record: ConsentRecord): void {
    all.push(record);
    byId.set(record.recordId, record);
    let scopes = index.get(record.subject);
    if (scopes == null) index.set(record.subject, (scopes = new Map()));
    const list = scopes.get(record.scope);
    if (list == null) scopes.set(record.scope, [record]);
    else list.push(record);
  }

  try {
    await unlink(tmpPath).catch(() => {});
    const loaded = await load(path);
    recoveredBytes = loaded.totalBytes - loaded.validBytes;
    if (loaded.header != null && loaded.header.keyCheck !== keyCheck) {
      throw new ConsentStoreError(`consent store \`${path}\` was created with a different pseudonym key`);
    }
    if (recoveredBytes > 0) {
      await truncate(path, loaded.validBytes);
    }
    for (const r of loaded.records) addToIndex(r);
    fh = await open(path, 'a');
    if (loaded.header == null) {
      const header: Header = { format: FORMAT, keyCheck, createdAt: now().toISOString() };
      await writeFully(fh, Buffer.from(encodeLine(header)), null);
      await fh.sync();
      await syncDirectory(nodeDurableFs, dirname(path));
    } else if (recoveredBytes > 0) {
      await fh.sync();
    }
  } catch (e) {
    await releaseLock();
    if (e instanceof ConsentStoreError) throw e;
    throw new ConsentStoreError(`cannot open consent store \`${path}\`: ${(e as Error).message}`, { cause: e });
  }

  let closed = false;
  let broken: unknown;
  let lock: Promise<unknown> = Promise.resolve();
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = lock.then(fn);
    lock = run.catch(() => {});
    return run;
  }

  interface Pending {
    record: ConsentRecord;
    resolve: (r: ConsentRecord) => void;
    reject: (e: unknown) => void;
  }
  let queue: Pending[] = [];
  const inFlight = new Map<string, Promise<ConsentRecord>>();
  let flushScheduled = false;

  function scheduleFlush(): void {
    if (flushScheduled) return;
    flushScheduled = true;
    void exclusive(async () => {
      flushScheduled = false;
      const batch = queue;
      queue = [];
      if (batch.length === 0) return;
      try {
        if (broken != null) throw broken;
        await writeFully(fh, Buffer.from(batch.map((p) => encodeLine(p.record)).join('')), null);
        await fh.datasync();
      } catch (e) {
        // What reached the disk is unknown now; reopening cuts any torn tail off.
        broken ??= e;
        const error = new ConsentStoreError(`consent store \`${path}\` write failed: ${(e as Error).message}`, { cause: e });
        for (const p of batch) p.reject(error);
        return;
      }
      for (const p of batch) {
        addToIndex(p.record);
        p.resolve(p.record);
      }
    });
  }

  function assertOpen(): void {
    if (closed) throw new ConsentStoreError(`consent store \`${path}\` is closed`);
  }

  function sortedEvents(list: readonly ConsentRecord[]): ConsentRecord[] {
    return list
      .map((r, i) => ({ r, i, t: Date.parse(r.at) }))
      .sort((a, b) => a.t - b.t || a.i - b.i)
      .map((x) => x.r);
  }

  return {
    path,
    get recoveredBytes() {
      return recoveredBytes;
    },
    get size() {
      return all.length;
    },

    append(input: ConsentEventInput): Promise<ConsentRecord> {
      try {
        assertOpen();
        if (broken != null) throw new ConsentStoreError(`consent store \`${path}\` failed earlier; reopen it`, { cause: broken });
      } catch (e) {
        return Promise.reject(e);
      }
      let record: ConsentRecord;
      try {
        record = createConsentRecord(input, pseudonym, now);
      } catch (e) {
        return Promise.reject(e);
      }
      const existing = byId.get(record.recordId);
      const pending = existing != null ? Promise.resolve(existing) : inFlight.get(record.recordId);
      if (pending != null) {
        return pending.then((stored) => {
          if (stored.subject !== record.subject) throw new ConsentRecordError(`record id \`${record.recordId}\` is already used by another subject`);
          return stored;
        });
      }
      const promise = new Promise<ConsentRecord>((resolve, reject) => {
        queue.push({ record, resolve, reject });
      });
      inFlight.set(record.recordId, promise);
      void promise.then(
        () => inFlight.delete(record.recordId),
        () => inFlight.delete(record.recordId),
      );
      scheduleFlush();
      return promise;
    },

    async events(subjectId: string, scope?: string): Promise<ConsentRecord[]> {
      assertOpen();
      if (!isValidSubjectId(subjectId)) return [];
      const scopes = index.get(pseudonym(subjectId));
      if (scopes == null) return [];
      if (scope != null) return sortedEvents(scopes.get(scope) ?? []);
      return sortedEvents([...scopes.values()].flat());
    },

    async stateAt(subjectId: string, scope: string, at: Date): Promise<ConsentStatus> {
      assertOpen();
      if (!isValidSubjectId(subjectId)) return { scope, state: 'none' };
      return consentStateAt(index.get(pseudonym(subjectId))?.get(scope) ?? [], scope, at);
    },

    compact(): Promise<CompactionResult> {
      try {
        assertOpen();
      } catch (e) {
        return Promise.reject(e);
      }
      return exclusive(async () => {
        if (broken != null) throw new ConsentStoreError(`consent store \`${path}\` failed earlier; reopen it`, { cause: broken });
        let renamed = false;
        try {
          const bytesBefore = (await fh.stat()).size;
          const first = (await readFile(path, 'utf8')).split('\n', 1)[0] ?? '';
          const header = decodeLine(first);
          const lines = [isHeader(header) ? encodeLine(header) : encodeLine({ format: FORMAT, keyCheck, createdAt: now().toISOString() })];
          for (const r of all) lines.push(encodeLine(r));
          const data = Buffer.from(lines.join(''));
          const tmp = await open(tmpPath, 'w');
          try {
            await writeFully(tmp, data, null);
            await tmp.sync();
          } finally {
            await tmp.close();
          }
          await rename(tmpPath, path);
          renamed = true;
          await syncDirectory(nodeDurableFs, dirname(path));
          await fh.close();
          fh = await open(path, 'a');
          return { events: all.length, bytesBefore, bytesAfter: data.length };
        } catch (e) {
          // Before the rename the original file is untouched; after it, the append handle is stale.
          if (renamed) broken ??= e;
          await unlink(tmpPath).catch(() => {});
          throw new ConsentStoreError(`compaction of \`${path}\` failed: ${(e as Error).message}`, { cause: e });
        }
      });
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await exclusive(async () => {});
      await fh.close().catch(() => {});
      await releaseLock();
    },
  };
}
