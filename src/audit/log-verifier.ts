import { plural } from '../util/plural.js';
import type { KeyObject } from 'node:crypto';
import type { AuditEvent, PreviousEpochHead } from './audit-event.js';
import { GENESIS_HASH } from './audit-event.js';
import type { AuditFinding, AuditFindingCode } from './audit-finding.js';
import {
  checkpointHashProblem,
  checkpointSignatureValid,
  isCheckpointShape,
  type AuditCheckpoint,
} from './audit-checkpoint.js';
import { canonicalJsonFast } from './canonical-json-fast.js';
import { compareCheckpoints } from './checkpoint-witness.js';
import { hashedBytesOf } from './audit-record.js';
import type { CanonicalFields } from './canonical-fields.js';
import { auditKeyId } from './audit-signing-keys.js';

/** One stored record as a source hands it to the verifier. */
export interface SourceRecord {
  /** The stored line (file) or the line rebuilt from `body` + `hash` (PostgreSQL). */
  line: string;
  lineNo: number;
  terminated: boolean;
  statedHash: string | undefined;
  /** SHA-256 of the bytes the record claims to hash. */
  actualHash: string | undefined;
  /**
   * PostgreSQL: the indexed columns, which must agree with the body. A packed row (several
   * records) has `prev` and `kind` columns for its first record only and a `hash` column for its
   * last; `records` is set when its record count disagrees with the lines it holds.
   */
  columns?: { writer: string; epoch: number; seq: number; prev?: string; kind?: string; decisionId?: string | null; hash?: string; records?: { stated: number; lines: number } };
  /** The chain fields, read from hashed bytes proven canonical (`readCanonicalFields`): no need to parse. */
  fields?: CanonicalFields;
}

export interface SourceSegment {
  writer: string;
  epoch: number;
  segment: number;
  file?: string;
  /** The last segment of its epoch among those the source holds. */
  lastInEpoch: boolean;
}

export interface SegmentReport {
  writer: string;
  epoch: number;
  segment: number;
  file?: string;
  status: 'valid' | 'invalid';
  records: number;
  firstSeq?: number;
  lastSeq?: number;
  firstTs?: string;
  lastTs?: string;
  findings: AuditFinding[];
}

export interface CheckpointSummary {
  checkpointer: string;
  count: number;
  valid: number;
  last?: { epoch: number; n: number; ts: string; heads: AuditCheckpoint['heads'] };
}

export interface AuditVerifyReport {
  ok: boolean;
  source: string;
  segments: SegmentReport[];
  checkpoints: { read: number; valid: number; signaturesVerified: number; byCheckpointer: CheckpointSummary[] };
  /** The witness compared against, and the newest checkpoint it holds per checkpointer. */
  witness?: { location: string; byCheckpointer: { checkpointer: string; epoch: number; n: number; ts: string; heads: AuditCheckpoint['heads'] }[] };
  findings: AuditFinding[];
  range: { requested: { from?: string; to?: string }; covered: { from?: string; to?: string } };
  counts: {
    records: number;
    inRange: number;
    /** Decision records in range, live and shadow. */
    decisions: number;
    /** Of `decisions`, the shadow ones: a candidate policy's verdict recorded beside a live decision, never enforced. */
    shadowDecisions: number;
    writers: number;
    epochs: number;
    segments: number;
    errors: number;
    warnings: number;
  };
  elapsedMs: number;
  /** Worker threads that verified segments in parallel (1: all in order in one thread). */
  workers: number;
}

export interface LogVerifierOptions {
  from?: number;
  to?: number;
  /** Verification keys by key id; none: signatures are not checked (a warning says so). */
  keys?: Map<string, KeyObject>;
  /** Also require each record to be the canonical JSON of its content (slower). */
  canonical?: boolean;
  /**
   * Called for every record in range; `problems` lists the error codes found at that record (a
   * record that failed verification), empty for a record that verified.
   */
  onRecord?: (event: AuditEvent, line: string, problems: readonly AuditFindingCode[]) => void;
  /**
   * The log is expected to be signed (a key was given): a writer without checkpoints, records
   * after the last checkpoint and a missing checkpoints directory are errors, not warnings.
   */
  requireSignatures?: boolean;
  /** The log is expected to be unsigned: missing checkpoints are not reported at all. */
  unsigned?: boolean;
  /** The log is being written: records after the last checkpoint of a running writer are a warning. */
  live?: boolean;
}

/** What a worker found in one segment it verified on its own (from an unknown chain state). */
export interface SegmentSummary {
  /** No error-level finding inside the segment. */
  clean: boolean;
  report: SegmentReport;
  /** The first record, for the checks that need the segment before it. */
  first?: {
    seq: number;
    prev: string;
    ts: string;
    kind: string;
    start?: { previous: PreviousEpochHead | null; prev: string };
  };
  end: { expectedSeq?: number; lastHash?: string; lastTsMs: number; stopped: boolean; head?: { seq: number; hash: string; ts: string }; torn: boolean };
  counts: { records: number; inRange: number; decisions: number; shadowDecisions: number };
  covered: { from?: number; to?: number };
  matchedSeqs: number[];
  uncovered: { count: number; first?: Pos };
  warnings: AuditFinding[];
}

interface HeadClaim {
  hash: string;
  /** The time of the record the checkpoint signed. */
  ts: string;
  checkpoint: string;
  matched: boolean;
  /** Where the claim comes from when a witness holds it (its location). */
  witness?: string;
}

interface Pos {
  epoch: number;
  seq: number;
}

interface WriterState {
  writer: string;
  live: boolean;
  anchored: boolean;
  lastEpoch?: number;
  prevEpochHead?: { epoch: number; seq: number; hash: string; ts: string; torn: boolean };
  prevEpochKnown: boolean;
  epoch: number;
  lastSegment: number;
  expectedSeq?: number;
  lastHash?: string;
  lastTsMs: number;
  stopped: boolean;
  head?: { seq: number; hash: string; ts: string };
  epochTorn: boolean;
  firstPos?: Pos;
  lastPos?: Pos;
  maxCheckpoint?: Pos & { ts: string };
  uncovered: { count: number; first?: Pos };
  windowCut: boolean;
}

const MAX_FINDINGS = 10_000;

/**
 * The verification rules, fed by a source (files or PostgreSQL) one segment and record at a time,
 * so a log of any size streams through in constant memory (plus one entry per checkpoint head).
 */
export class LogVerifier {
  private started = performance.now();
  private readonly findings: AuditFinding[] = [];
  private readonly segments: SegmentReport[] = [];
  private readonly heads = new Map<string, HeadClaim[]>();
  /** The checkpoint claims of the epoch being read, by seq. */
  private epochHeads: Map<number, HeadClaim[]> | undefined;
  private readonly headsByEpoch = new Map<string, Map<number, HeadClaim[]>>();
  private readonly maxCheckpoint = new Map<string, Pos & { ts: string }>();
  private readonly cpSummaries = new Map<string, CheckpointSummary>();
  private readonly cpChain = new Map<string, { prev: string; epoch: number; n: number; tsMs: number }>();
  private readonly writers = new Map<string, WriterState>();
  /** The newest checkpoint a witness holds, per checkpointer, and what the log's checkpoints say of it. */
  private readonly witnessed = new Map<string, { cp: AuditCheckpoint; location: string; inLog?: boolean }>();
  private witnessLocation?: string;
  private cpRead = 0;
  private cpValid = 0;
  private sigVerified = 0;
  private records = 0;
  private inRange = 0;
  private decisions = 0;
  private shadowDecisions = 0;
  /** Key ids the checkpoints read name, for the message when no key was given (a few suffice). */
  private readonly cpKeyIds = new Set<string>();
  private epochs = 0;
  private coveredFrom?: number;
  private coveredTo?: number;
  private w?: WriterState;
  private seg?: SegmentReport;
  private segMeta?: SourceSegment;
  private firstRecord?: SegmentSummary['first'];
  /** Set by the parallel path when its result is the one reported. */
  workers = 1;
  /** Error codes found at the record being read (from `record()`'s start), for `onRecord`. */
  private recordProblems: AuditFindingCode[] | undefined;
  private lastTsText = '';
  private lastTsMs = Number.NaN;
  private droppedErrors = 0;
  private droppedWarnings = 0;
  /** Partitions moved out of the source and not read (PostgreSQL without `--archive`). */
  private archive?: { partitions: number; until: Date; location: string | undefined };
  /** Writers whose chain in the source begins past their genesis because its start was archived. */
  private readonly pastGenesis = new Set<string>();

  constructor(private readonly options: LogVerifierOptions) {}

  // ---- checkpoints (fed first) ------------------------------------------------------------

  checkpointLine(checkpointer: string, fileEpoch: number, text: string, lineNo: number, terminated: boolean, file?: string): void {
    const where = { checkpointer, ...(file ? { file } : {}), line: lineNo };
    this.cpRead++;
    const summary = this.summaryOf(checkpointer);
    summary.count++;
    if (!terminated) {
      this.add({ severity: 'warning', code: 'checkpoint_torn', message: `checkpoint line ${lineNo} of ${label(file, checkpointer)} is incomplete (a crash while it was written)`, ...where });
      return;
    }
    let cp: unknown;
    try {
      cp = JSON.parse(text);
    } catch {
      cp = undefined;
    }
    if (!isCheckpointShape(cp) || cp.checkpointer !== checkpointer || cp.epoch !== fileEpoch) {
      this.add({ severity: 'error', code: 'checkpoint_malformed', message: `checkpoint line ${lineNo} of ${label(file, checkpointer)} is not a checkpoint of \`${checkpointer}\` epoch ${fileEpoch}`, ...where });
      return;
    }
    const name = `checkpoint ${checkpointer}/${cp.epoch}#${cp.n} (${cp.ts})`;
    if (this.cpKeyIds.size < 5) this.cpKeyIds.add(cp.keyId);
    let valid = true;
    const hashProblem = checkpointHashProblem(cp);
    if (hashProblem) {
      valid = false;
      this.add({ severity: 'error', code: 'checkpoint_hash_mismatch', message: `${name} at line ${lineNo}: ${hashProblem}`, ...where });
    }
    if (this.options.keys) {
      const problem = this.signatureProblem(cp);
      if (problem === 'unknown_key') {
        valid = false;
        this.add({
          severity: 'error',
          code: 'checkpoint_unknown_key',
          message: `${name} is signed with key \`${cp.keyId}\`, which is none of the keys given (${this.givenKeyIds().map((k) => `\`${k}\``).join(', ')}): give the public key whose key id is \`${cp.keyId}\` with \`--key FILE\` (ask the log's owner for it); if they say their key is among those given, someone else signed this checkpoint and the log is not to be trusted`,
          ...where,
        });
      } else if (problem === 'bad_signature') {
        valid = false;
        const given = this.givenKeyIds();
        const otherKey = given.length === 1 && given[0] !== cp.keyId ? given[0] : undefined;
        this.add({
          severity: 'error',
          code: 'checkpoint_bad_signature',
          message:
            otherKey !== undefined
              ? `${name} at line ${lineNo}: the signature does not verify with the key given (\`${otherKey}\`); the checkpoint names key \`${cp.keyId}\`: most likely the wrong public key was given: give the one whose key id is \`${cp.keyId}\` with \`--key FILE\` (ask the log's owner for it); if they say \`${otherKey}\` is their key, someone else signed this checkpoint and the log is not to be trusted`
              : `${name} at line ${lineNo}: the signature does not verify with key \`${cp.keyId}\`, the key it names: the checkpoint was changed or forged after it was signed; do not trust the records it covers`,
          ...where,
        });
      } else {
        this.sigVerified++;
      }
    }
    const witnessed = this.witnessed.get(checkpointer);
    if (witnessed && witnessed.cp.epoch === cp.epoch && witnessed.cp.n === cp.n) {
      witnessed.inLog = witnessed.cp.hash === cp.hash;
      if (!witnessed.inLog) {
        this.add({
          severity: 'error',
          code: 'witness_mismatch',
          message: `${name} at line ${lineNo} is not the checkpoint the witness \`${witnessed.location}\` holds under that number (${short(witnessed.cp.hash)}): the log's checkpoints were replaced`,
          ...where,
        });
      }
    }
    const chain = this.cpChain.get(checkpointer);
    const expectedPrev = chain?.prev ?? GENESIS_HASH;
    if (cp.prev !== expectedPrev) {
      this.add({
        severity: 'error',
        code: 'checkpoint_chain_broken',
        message: `${name} links to ${short(cp.prev)} but the previous checkpoint is ${chain ? short(expectedPrev) : 'none (expected the genesis hash)'}`,
        ...where,
      });
    } else if (chain && chain.epoch === cp.epoch && cp.n !== chain.n + 1) {
      this.add({ severity: 'error', code: 'checkpoint_chain_broken', message: `${name} follows checkpoint #${chain.n}: checkpoints are missing`, ...where });
    }
    const tsMs = Date.parse(cp.ts);
    if (chain && tsMs < chain.tsMs) {
      this.add({ severity: 'error', code: 'checkpoint_chain_broken', message: `${name} is dated before the previous checkpoint`, ...where });
    }
    this.cpChain.set(checkpointer, { prev: cp.hash, epoch: cp.epoch, n: cp.n, tsMs: Math.max(tsMs, chain?.tsMs ?? tsMs) });
    if (!valid) return;
    this.cpValid++;
    summary.valid++;
    summary.last = { epoch: cp.epoch, n: cp.n, ts: cp.ts, heads: cp.heads };
    for (const head of cp.heads) this.claim(head, name);
  }

  /** A witness was given (called even when it holds nothing). */
  useWitness(location: string): void {
    this.witnessLocation = location;
  }

  /**
   * The newest checkpoint a witness outside the log holds for one checkpointer (fed before the
   * log's checkpoints). The log must still hold every head it signed, and its own checkpoints
   * must reach it: a log cut short together with its checkpoints fails here.
   */
  witnessCheckpoint(cp: AuditCheckpoint, location: string): void {
    this.witnessLocation = location;
    const name = `checkpoint ${cp.checkpointer}/${cp.epoch}#${cp.n} (${cp.ts}) held by the witness`;
    const where = { checkpointer: cp.checkpointer };
    const hashProblem = checkpointHashProblem(cp);
    const signature = this.options.keys ? this.signatureProblem(cp) : undefined;
    if (hashProblem || signature) {
      const why = hashProblem ?? (signature === 'unknown_key' ? `it is signed with key \`${cp.keyId}\`, which is not among the keys given` : `its signature does not verify with key \`${cp.keyId}\``);
      this.add({ severity: 'error', code: 'witness_checkpoint_invalid', message: `${name} \`${location}\` is not valid: ${why}`, ...where });
      return;
    }
    this.witnessed.set(cp.checkpointer, { cp, location });
    for (const head of cp.heads) this.claim(head, name, location);
  }

  /**
   * The source's oldest records were moved to an archive that is not read: chains may begin past
   * their genesis, and checkpoints may sign records dated before `until` that are only in the
   * archive. Those are not errors but one `archive_not_verified` warning naming the writers.
   */
  archiveNotRead(info: { partitions: number; until: Date; location: string | undefined }): void {
    this.archive = info;
  }

  /** With `archiveNotRead`: this writer's chain in the source begins past its genesis. */
  chainStartsPastGenesis(writer: string): void {
    this.pastGenesis.add(writer);
  }

  /** The checkpoints directory does not exist (file sources). */
  checkpointsMissing(dir: string): void {
    if (this.options.unsigned) return;
    this.add({
      severity: this.options.requireSignatures ? 'error' : 'warning',
      code: 'checkpoints_missing',
      message: `the checkpoints directory \`${dir}\` does not exist: no record of this log is covered by a signature; if the log is meant to be unsigned, verify it with \`--unsigned\`; if its writer kept its checkpoints elsewhere, give that directory with \`--checkpoints-dir DIR\`; to have it signed from now on, give the writer a key made with \`saferoute audit keygen\` (SAFEROUTE_AUDIT_SIGNING_KEY)`,
    });
  }

  /** The key ids of the keys given (each key once, however many ids it is known by). */
  private givenKeyIds(): string[] {
    return [...new Set([...(this.options.keys?.values() ?? [])])].map((k) => auditKeyId(k));
  }

  private signatureProblem(cp: AuditCheckpoint): 'unknown_key' | 'bad_signature' | undefined {
    const keys = this.options.keys;
    if (!keys) return undefined;
    // A single key also verifies checkpoints whose writer was given a custom key id.
    const key = keys.get(cp.keyId) ?? (keys.size === 1 ? [...keys.values()][0] : undefined);
    if (!key) return 'unknown_key';
    return checkpointSignatureValid(cp, key) ? undefined : 'bad_signature';
  }

  private claim(head: AuditCheckpoint['heads'][number], name: string, witness?: string): void {
    const key = posKey(head.writer, head.epoch, head.seq);
    const claims = this.heads.get(key) ?? [];
    if (!claims.some((c) => c.hash === head.hash)) claims.push({ hash: head.hash, ts: head.ts, checkpoint: name, matched: false, ...(witness !== undefined ? { witness } : {}) });
    this.heads.set(key, claims);
    const epochKey = `${head.writer}\u0000${head.epoch}`;
    let bySeq = this.headsByEpoch.get(epochKey);
    if (!bySeq) this.headsByEpoch.set(epochKey, (bySeq = new Map()));
    bySeq.set(head.seq, claims);
    const max = this.maxCheckpoint.get(head.writer);
    if (!max || comparePos(head, max) > 0) this.maxCheckpoint.set(head.writer, { epoch: head.epoch, seq: head.seq, ts: head.ts });
  }

  // ---- the log ----------------------------------------------------------------------------

  beginWriter(writer: string, info: { live: boolean; anchored: boolean }): void {
    const state: WriterState = {
      writer,
      live: info.live,
      anchored: info.anchored,
      prevEpochKnown: false,
      epoch: 0,
      lastSegment: 0,
      lastTsMs: Number.NEGATIVE_INFINITY,
      stopped: false,
      epochTorn: false,
      uncovered: { count: 0 },
      windowCut: false,
      ...(this.maxCheckpoint.has(writer) ? { maxCheckpoint: this.maxCheckpoint.get(writer) as Pos & { ts: string } } : {}),
    };
    this.writers.set(writer, state);
    this.w = state;
  }

  /** The source stopped reading this writer early (`to`): later checkpoint heads are out of range. */
  cutWindow(): void {
    if (this.w) this.w.windowCut = true;
  }

  beginSegment(meta: SourceSegment): void {
    const w = this.w as WriterState;
    const first = w.lastEpoch === undefined;
    if (w.lastEpoch !== meta.epoch) {
      if (w.lastEpoch !== undefined) this.endEpoch();
      this.epochs++;
      if (first && !w.anchored && meta.epoch !== 1) {
        this.add({ severity: 'error', code: 'missing_epoch', message: `epochs 1–${meta.epoch - 1} of writer \`${w.writer}\` are missing`, writer: w.writer, epoch: meta.epoch });
      } else if (!first && meta.epoch !== (w.lastEpoch as number) + 1) {
        this.add({
          severity: 'error',
          code: 'missing_epoch',
          message: `epochs ${(w.lastEpoch as number) + 1}–${meta.epoch - 1} of writer \`${w.writer}\` are missing`,
          writer: w.writer,
          epoch: meta.epoch,
        });
      }
      w.prevEpochKnown = !first && meta.epoch === (w.lastEpoch as number) + 1;
      w.lastEpoch = meta.epoch;
      w.epoch = meta.epoch;
      w.lastSegment = 0;
      w.stopped = false;
      w.epochTorn = false;
      delete w.head;
      if (!(first && w.anchored)) {
        w.expectedSeq = 0;
        delete w.lastHash;
      }
    }
    const anchoredStart = first && w.anchored;
    if (!anchoredStart && meta.segment !== w.lastSegment + 1) {
      const missing = w.lastSegment + 1 === meta.segment - 1 ? `segment ${w.lastSegment + 1} is` : `segments ${w.lastSegment + 1}–${meta.segment - 1} are`;
      this.add({
        severity: 'error',
        code: 'missing_segment',
        message: `${missing} missing from epoch ${meta.epoch} of writer \`${w.writer}\`${w.expectedSeq !== undefined ? ` (the chain stops at seq ${w.expectedSeq - 1})` : ''}`,
        writer: w.writer,
        epoch: meta.epoch,
        segment: meta.segment,
      });
    }
    w.lastSegment = meta.segment;
    this.segMeta = meta;
    this.epochHeads = this.headsByEpoch.get(`${meta.writer}\u0000${meta.epoch}`);
    this.seg = {
      writer: meta.writer,
      epoch: meta.epoch,
      segment: meta.segment,
      ...(meta.file ? { file: meta.file } : {}),
      status: 'valid',
      records: 0,
      findings: [],
    };
    this.segments.push(this.seg);
  }

  record(rec: SourceRecord): void {
    const w = this.w as WriterState;
    const seg = this.seg as SegmentReport;
    const meta = this.segMeta as SourceSegment;
    const at = new Location(w.writer, meta, rec.lineNo);
    this.recordProblems = [];
    this.records++;
    seg.records++;

    if (!rec.terminated) {
      const inProgress = w.live && meta.lastInEpoch;
      this.add({
        severity: inProgress ? 'warning' : 'error',
        code: inProgress ? 'tail_in_progress' : 'torn_tail',
        message: inProgress
          ? `${at.where} has no newline yet: the writer is live and may be writing it`
          : `${at.where} is a torn record (${Buffer.byteLength(rec.line)} bytes, no newline): an incomplete write, most likely a crash; no acknowledged record can be in it`,
        ...at,
      });
      if (meta.lastInEpoch) w.epochTorn = true;
      return;
    }

    let parsed: Partial<AuditEvent> | undefined;
    // Canonical bytes, read without parsing, unless the caller wants every record in full.
    const canonicalFields = this.options.onRecord ? undefined : rec.fields;
    if (canonicalFields) {
      parsed = canonicalFields as Partial<AuditEvent>;
    } else if (rec.statedHash !== undefined) {
      try {
        const value: unknown = JSON.parse(rec.line);
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) parsed = value as Partial<AuditEvent>;
      } catch {
        parsed = undefined;
      }
    }
    if (!parsed || parsed.v !== 1 || typeof parsed.seq !== 'number' || typeof parsed.ts !== 'string' || typeof parsed.prev !== 'string' || typeof parsed.kind !== 'string') {
      this.add({
        severity: 'error',
        code: 'malformed_record',
        message: `${at.where} is not an audit record (${rec.line.length === 0 ? 'empty line' : parsed ? 'fields missing or unknown version' : 'not JSON ending in a hash'})`,
        ...at,
      });
      if (w.expectedSeq !== undefined) w.expectedSeq++;
      delete w.lastHash;
      return;
    }
    const event = parsed as AuditEvent;
    const seq = event.seq;
    if (!this.firstRecord) {
      this.firstRecord = {
        seq,
        prev: event.prev,
        ts: event.ts,
        kind: event.kind,
        ...(event.kind === 'writer-start' ? { start: { previous: event.previous ?? null, prev: event.prev } } : {}),
      };
    }
    const stated = rec.statedHash as string;
    const hashOk = rec.actualHash === stated;
    if (!hashOk) {
      this.add({ severity: 'error', code: 'hash_mismatch', message: `${at.where} (seq ${seq}): hash mismatch: the record states ${short(stated)}, its content hashes to ${short(rec.actualHash ?? '')}`, ...at, seq });
    } else if (this.options.canonical && !canonicalFields) {
      const { hash: _h, ...content } = event;
      if (canonicalJsonFast(content) !== hashedBytesOf(rec.line)) {
        this.add({ severity: 'error', code: 'not_canonical', message: `${at.where} (seq ${seq}) is not in canonical JSON form`, ...at, seq });
      }
    }
    if (event.writer !== w.writer || event.epoch !== meta.epoch) {
      this.add({
        severity: 'error',
        code: 'misplaced_record',
        message: `${at.where} belongs to writer \`${String(event.writer)}\` epoch ${String(event.epoch)}, not \`${w.writer}\` epoch ${meta.epoch}`,
        ...at,
        seq,
      });
    }
    if (rec.columns) this.checkColumns(rec, event, at);

    const expected = w.expectedSeq;
    let advance = true;
    if (expected !== undefined && seq !== expected) {
      if (seq > expected) {
        const missing = seq - expected === 1 ? `seq ${expected} is missing` : `seqs ${expected}–${seq - 1} are missing`;
        const link = w.lastHash !== undefined && event.prev !== w.lastHash ? '; its prev does not link to the record before' : '';
        // Records are missing before this one; it is itself intact (unless another check says otherwise).
        this.add({ severity: 'error', code: 'seq_gap', message: `${at.where}: sequence gap: expected seq ${expected}, got ${seq} (${missing}${link})`, ...at, seq }, false);
      } else {
        advance = false;
        this.add({ severity: 'error', code: 'seq_gap', message: `${at.where}: expected seq ${expected}, got ${seq}: a duplicate or a record out of order`, ...at, seq });
      }
    } else if (expected !== undefined && w.lastHash !== undefined && event.prev !== w.lastHash) {
      this.add({ severity: 'error', code: 'prev_mismatch', message: `${at.where} (seq ${seq}): prev-hash link broken: prev is ${short(event.prev)}, the record before hashes to ${short(w.lastHash)}`, ...at, seq });
    }

    if (event.kind === 'writer-start') this.checkStart(event, at.where, at);
    else if (seq === 0) {
      this.add({ severity: 'error', code: 'writer_start_missing', message: `${at.where}: epoch ${meta.epoch} does not begin with a writer-start record`, ...at, seq });
    }
    if (w.stopped && advance) {
      this.add({ severity: 'error', code: 'record_after_stop', message: `${at.where} (seq ${seq}) follows the writer-stop record of its epoch`, ...at, seq });
    }
    if (event.kind === 'writer-stop') w.stopped = true;

    if (event.ts !== this.lastTsText) {
      this.lastTsText = event.ts;
      this.lastTsMs = Date.parse(event.ts);
    }
    const tsMs = this.lastTsMs;
    if (!Number.isFinite(tsMs)) {
      this.add({ severity: 'error', code: 'malformed_record', message: `${at.where} (seq ${seq}): \`ts\` is not a timestamp`, ...at, seq });
    } else if (tsMs < w.lastTsMs) {
      this.add({ severity: 'error', code: 'ts_decreased', message: `${at.where} (seq ${seq}): timestamp ${event.ts} is earlier than the record before`, ...at, seq });
    }

    const claims = this.epochHeads?.get(seq);
    if (claims) {
      for (const claim of claims) {
        claim.matched = true;
        if (claim.hash !== stated || !hashOk) {
          this.add({
            severity: 'error',
            code: claim.witness !== undefined ? 'witness_mismatch' : 'checkpoint_mismatch',
            message: `${claim.checkpoint} signed seq ${seq} of epoch ${meta.epoch} with hash ${short(claim.hash)}, but the log has ${hashOk ? short(stated) : 'a record whose hash does not match its content'} at ${at.where}: the log was rewritten after the checkpoint`,
            ...at,
            seq,
          });
        }
      }
    }
    const pos = { epoch: meta.epoch, seq };
    if (!w.maxCheckpoint || comparePos(pos, w.maxCheckpoint) > 0) {
      w.uncovered.count++;
      w.uncovered.first ??= pos;
    }
    w.firstPos ??= pos;
    w.lastPos = pos;

    if (seg.firstSeq === undefined) {
      seg.firstSeq = seq;
      seg.firstTs = event.ts;
    }
    seg.lastSeq = seq;
    seg.lastTs = event.ts;
    if (advance) {
      w.expectedSeq = seq + 1;
      w.lastHash = stated;
    }
    if (Number.isFinite(tsMs)) w.lastTsMs = Math.max(w.lastTsMs, tsMs);
    if (hashOk) w.head = { seq, hash: stated, ts: event.ts };

    if ((this.options.from === undefined || tsMs >= this.options.from) && (this.options.to === undefined || tsMs <= this.options.to)) {
      this.inRange++;
      if (event.kind === 'decision') {
        this.decisions++;
        if ((event as { shadow?: unknown }).shadow === true) this.shadowDecisions++;
      }
      if (this.coveredFrom === undefined || tsMs < this.coveredFrom) this.coveredFrom = tsMs;
      if (this.coveredTo === undefined || tsMs > this.coveredTo) this.coveredTo = tsMs;
      this.options.onRecord?.(event, rec.line, this.recordProblems);
      this.recordProblems = undefined;
    }
  }

  endWriter(): void {
    const w = this.w;
    if (!w) return;
    if (w.lastEpoch !== undefined) this.endEpoch();
    // Signed logs: what no signature covers is an error, except the tail a running writer has not checkpointed yet (--live).
    const signed = this.options.requireSignatures === true;
    const awaitingCheckpoint = this.options.live === true && w.live;
    if (w.uncovered.count > 0 && !this.options.unsigned) {
      const first = w.uncovered.first as Pos;
      const severity = signed && !awaitingCheckpoint ? 'error' : 'warning';
      const count = plural(w.uncovered.count, 'record');
      const are = w.uncovered.count === 1 ? 'is' : 'are';
      if (w.maxCheckpoint) {
        const why =
          severity === 'error'
            ? `: anyone who can write the log could have added or changed ${w.uncovered.count === 1 ? 'it' : 'them'}${w.live ? ' (the writer is running: `--live` accepts records awaiting its next checkpoint)' : ''}`
            : '';
        this.add({
          severity,
          code: 'uncovered_records',
          message: `${count} of writer \`${w.writer}\` from epoch ${first.epoch} seq ${first.seq} ${w.uncovered.count === 1 ? 'comes' : 'come'} after its last checkpoint (epoch ${w.maxCheckpoint.epoch} seq ${w.maxCheckpoint.seq}, ${w.maxCheckpoint.ts}) and ${are} not ${severity === 'error' ? '' : 'yet '}covered by a signature${why}`,
          writer: w.writer,
          epoch: first.epoch,
          seq: first.seq,
        });
      } else {
        const them = w.uncovered.count === 1 ? 'it' : 'them';
        const read = this.cpSummaries.get(w.writer)?.count ?? 0;
        this.add({
          severity,
          code: 'no_checkpoints',
          message:
            read > 0
              ? `writer \`${w.writer}\` has no valid checkpoint: none of its ${plural(read, 'checkpoint')} verified (see above), so its ${count} ${are} chained but not covered by a signature you can trust`
              : `writer \`${w.writer}\` has no valid checkpoint: its ${count} ${are} chained but not signed, so anyone who can write the log could have written, changed or cut ${them} undetected; if the log is meant to be unsigned, verify it with \`--unsigned\`; to have it signed, give the writer a key made with \`saferoute audit keygen\` (SAFEROUTE_AUDIT_SIGNING_KEY)`,
          writer: w.writer,
        });
      }
    }
    if (w.lastEpoch !== undefined && w.lastPos && !w.stopped && !w.live && !w.windowCut) {
      const witnessed = this.witnessed.get(w.writer)?.cp.heads.find((h) => h.writer === w.writer);
      const end = w.lastPos;
      const tail =
        this.witnessLocation === undefined
          ? 'only a witness (`--witness`) can tell which'
          : !witnessed
            ? 'the witness holds no checkpoint of this writer'
            : comparePos(witnessed, end) > 0
              ? `the witness holds a checkpoint of epoch ${witnessed.epoch} seq ${witnessed.seq}, beyond it: the log was cut`
              : `the witness vouches for the log up to epoch ${witnessed.epoch} seq ${witnessed.seq}; anything after that is not anchored`;
      this.add({
        severity: 'warning',
        code: 'epoch_unterminated',
        message: `epoch ${end.epoch} of writer \`${w.writer}\` ends at seq ${end.seq} without a writer-stop record and no process here holds its lock: it is still running elsewhere, it crashed, or the end of its log was cut; ${tail}`,
        writer: w.writer,
        epoch: end.epoch,
        seq: end.seq,
      });
    }
    delete this.w;
  }

  finish(source: string): AuditVerifyReport {
    for (const [key, claims] of this.heads) {
      const [writer, epochText, seqText] = key.split('\u0000') as [string, string, string];
      const pos = { epoch: Number(epochText), seq: Number(seqText) };
      const w = this.writers.get(writer);
      for (const claim of claims) {
        if (claim.matched) continue;
        if (w && w.firstPos && comparePos(pos, w.firstPos) < 0) continue;
        if (w && w.windowCut && w.lastPos && comparePos(pos, w.lastPos) > 0) continue;
        if (!w && (this.options.from !== undefined || this.options.to !== undefined)) continue;
        // Signed before the archived months ended, and not in the table: in the archive, unread.
        if (this.archive && (!w || !w.firstPos) && Date.parse(claim.ts) < this.archive.until.getTime()) {
          this.pastGenesis.add(writer);
          continue;
        }
        const end = w?.lastPos ? `the log of \`${writer}\` ends at epoch ${w.lastPos.epoch} seq ${w.lastPos.seq}` : `the log has no record of writer \`${writer}\``;
        this.add({
          severity: 'error',
          code: claim.witness !== undefined ? 'witness_beyond_log' : 'checkpoint_beyond_log',
          message: `${claim.checkpoint} signed writer \`${writer}\` epoch ${pos.epoch} seq ${pos.seq}, which is not in the log (${end}): records were removed or the log was cut short`,
          writer,
          epoch: pos.epoch,
          seq: pos.seq,
        });
      }
    }
    this.finishWitness();
    if (this.archive) this.warnArchiveNotRead(this.archive);
    if (this.cpRead > 0 && !this.options.keys && !this.options.unsigned) {
      const ids = [...this.cpKeyIds].map((k) => `\`${k}\``).join(', ');
      this.add({
        severity: 'warning',
        code: 'signatures_not_checked',
        message: `the log's ${plural(this.cpRead, 'checkpoint')} ${this.cpRead === 1 ? 'is' : 'are'} signed${ids ? ` (key id ${ids})` : ''}, but no public key was given, so no signature was checked: anyone who can write the log could have rewritten it and signed it again. Give the public key with \`--key FILE\` (or SAFEROUTE_AUDIT_PUBLIC_KEY): the \`.pub.pem\` that \`saferoute audit keygen\` wrote beside the writer's signing key. Get it from the log's owner, not from beside the log, and pin its key id with \`--key-id=ID\``,
      });
    }
    const errors = this.findings.filter((f) => f.severity === 'error').length + this.droppedErrors;
    return {
      ok: errors === 0,
      source,
      segments: this.segments,
      checkpoints: { read: this.cpRead, valid: this.cpValid, signaturesVerified: this.sigVerified, byCheckpointer: [...this.cpSummaries.values()] },
      ...(this.witnessLocation !== undefined
        ? {
            witness: {
              location: this.witnessLocation,
              byCheckpointer: [...this.witnessed.values()].map(({ cp }) => ({ checkpointer: cp.checkpointer, epoch: cp.epoch, n: cp.n, ts: cp.ts, heads: cp.heads })),
            },
          }
        : {}),
      findings: this.findings,
      range: {
        requested: {
          ...(this.options.from !== undefined ? { from: new Date(this.options.from).toISOString() } : {}),
          ...(this.options.to !== undefined ? { to: new Date(this.options.to).toISOString() } : {}),
        },
        covered: {
          ...(this.coveredFrom !== undefined ? { from: new Date(this.coveredFrom).toISOString() } : {}),
          ...(this.coveredTo !== undefined ? { to: new Date(this.coveredTo).toISOString() } : {}),
        },
      },
      counts: {
        records: this.records,
        inRange: this.inRange,
        decisions: this.decisions,
        shadowDecisions: this.shadowDecisions,
        writers: this.writers.size,
        epochs: this.epochs,
        segments: this.segments.length,
        errors,
        warnings: this.findings.length - (errors - this.droppedErrors) + this.droppedWarnings,
      },
      elapsedMs: performance.now() - this.started,
      workers: this.workers,
    };
  }

  /** The witness's newest checkpoints against the log's own checkpoints and writers. */
  private warnArchiveNotRead(a: { partitions: number; until: Date; location: string | undefined }): void {
    const writers = [...this.pastGenesis].sort();
    const where = `${plural(a.partitions, 'monthly partition')} up to ${a.until.toISOString()} ${a.partitions === 1 ? 'was' : 'were'} archived (last to \`${a.location ?? '?'}\`) and not read`;
    const which =
      writers.length > 0
        ? `the chains of ${writers.map((w) => `\`${w}\``).join(', ')} begin past their genesis (their earlier records are in the archive), so only what the table holds of them was verified`
        : 'no chain in the table depends on it, but the archived records themselves were not verified';
    this.add({
      severity: 'warning',
      code: 'archive_not_verified',
      message: `${where}: ${which}; give \`--archive DIR\` (the directory \`saferoute audit archive --to DIR\` wrote) to verify across the archive`,
      writers,
    });
  }

  private finishWitness(): void {
    const location = this.witnessLocation;
    if (location === undefined) return;
    if (this.witnessed.size === 0 && this.writers.size > 0) {
      this.add({
        severity: 'error',
        code: 'witness_empty',
        message: `the witness \`${location}\` holds no valid checkpoint, but the log has ${plural(this.writers.size, 'writer')}: a wrong location, a witness that never received anything, or one that was emptied`,
      });
      return;
    }
    for (const [checkpointer, { cp, inLog }] of this.witnessed) {
      if (inLog !== undefined) continue;
      const logLast = this.cpChain.get(checkpointer);
      const name = `checkpoint ${checkpointer}/${cp.epoch}#${cp.n} (${cp.ts})`;
      const logEnd = logLast ? `the log's checkpoints of \`${checkpointer}\` end at ${logLast.epoch}#${logLast.n}` : `the log has no checkpoint of \`${checkpointer}\``;
      this.add({
        severity: 'error',
        code: 'witness_checkpoint_missing',
        message:
          logLast && compareCheckpoints(logLast, cp) > 0
            ? `the witness \`${location}\` holds ${name}, which is missing from the log's checkpoints: they were edited`
            : `the witness \`${location}\` holds ${name}, but ${logEnd}: the newest checkpoints were removed, and with them most likely the end of the log`,
        checkpointer,
      });
    }
    for (const [checkpointer, { cp, inLog }] of this.witnessed) {
      const logLast = this.cpChain.get(checkpointer);
      if (inLog !== true || !logLast || compareCheckpoints(logLast, cp) <= 0) continue;
      const head = cp.heads.find((h) => h.writer === checkpointer);
      this.add({
        severity: 'warning',
        code: 'witness_behind',
        message: `the witness \`${location}\` holds checkpoints of \`${checkpointer}\` up to ${cp.epoch}#${cp.n} (${cp.ts}) while the log's go on to ${logLast.epoch}#${logLast.n}: records after ${head ? `epoch ${head.epoch} seq ${head.seq}` : 'that checkpoint'} are not anchored outside the log (was the witness unreachable?)`,
        checkpointer,
      });
    }
    for (const writer of this.writers.keys()) {
      if (this.witnessed.has(writer)) continue;
      this.add({
        severity: 'warning',
        code: 'witness_missing_writer',
        message: `the witness \`${location}\` holds no checkpoint of writer \`${writer}\`: removing the end of its log would not be detected`,
        writer,
      });
    }
  }

  // ---- parallel verification --------------------------------------------------------------

  /**
   * A copy holding what was learnt from the checkpoints, before any record: the parallel attempt
   * works on it so that the original can still verify sequentially if the attempt is abandoned.
   */
  fork(): LogVerifier {
    const copy = new LogVerifier(this.options);
    copy.started = this.started;
    copy.findings.push(...this.findings);
    for (const [key, claims] of this.heads) {
      const cloned = claims.map((c) => ({ ...c }));
      copy.heads.set(key, cloned);
      const [writer, epoch, seq] = key.split('\u0000') as [string, string, string];
      const epochKey = `${writer}\u0000${epoch}`;
      let bySeq = copy.headsByEpoch.get(epochKey);
      if (!bySeq) copy.headsByEpoch.set(epochKey, (bySeq = new Map()));
      bySeq.set(Number(seq), cloned);
    }
    for (const [k, v] of this.maxCheckpoint) copy.maxCheckpoint.set(k, { ...v });
    for (const [k, v] of this.cpSummaries) copy.cpSummaries.set(k, { ...v });
    for (const [k, v] of this.cpChain) copy.cpChain.set(k, { ...v });
    for (const [k, v] of this.witnessed) copy.witnessed.set(k, { ...v });
    if (this.witnessLocation !== undefined) copy.witnessLocation = this.witnessLocation;
    copy.cpRead = this.cpRead;
    copy.cpValid = this.cpValid;
    copy.sigVerified = this.sigVerified;
    copy.droppedErrors = this.droppedErrors;
    copy.droppedWarnings = this.droppedWarnings;
    for (const k of this.cpKeyIds) copy.cpKeyIds.add(k);
    if (this.archive) copy.archive = this.archive;
    for (const w of this.pastGenesis) copy.pastGenesis.add(w);
    return copy;
  }

  errorCount(): number {
    return this.findings.filter((f) => f.severity === 'error').length + this.droppedErrors;
  }

  /** Main side: the claims and the coverage limit a worker needs for one segment. */
  claimsFor(writer: string, epoch: number): { claims: [number, string][]; maxCheckpoint?: Pos & { ts: string } } {
    const bySeq = this.headsByEpoch.get(`${writer}\u0000${epoch}`);
    const claims: [number, string][] = [];
    for (const [seq, list] of bySeq ?? []) for (const c of list) claims.push([seq, c.hash]);
    const max = this.maxCheckpoint.get(writer);
    return { claims, ...(max ? { maxCheckpoint: max } : {}) };
  }

  /** Worker side: verify one segment, anchored, against the claims the main thread handed over. */
  static summarizeSegment(
    options: Pick<LogVerifierOptions, 'from' | 'to' | 'canonical'>,
    meta: SourceSegment & { live: boolean },
    claims: [number, string][],
    maxCheckpoint: (Pos & { ts: string }) | undefined,
    feed: (verifier: LogVerifier) => void | Promise<void>,
  ): Promise<SegmentSummary> {
    const v = new LogVerifier(options);
    const bySeq = new Map<number, HeadClaim[]>();
    for (const [seq, hash] of claims) {
      const list = bySeq.get(seq) ?? [];
      list.push({ hash, ts: '', checkpoint: 'checkpoint', matched: false });
      bySeq.set(seq, list);
    }
    v.headsByEpoch.set(`${meta.writer}\u0000${meta.epoch}`, bySeq);
    if (maxCheckpoint) v.maxCheckpoint.set(meta.writer, maxCheckpoint);
    v.beginWriter(meta.writer, { live: meta.live, anchored: true });
    v.beginSegment(meta);
    return Promise.resolve(feed(v)).then(() => {
      const w = v.w as WriterState;
      const report = v.seg as SegmentReport;
      const matchedSeqs: number[] = [];
      for (const [seq, list] of bySeq) if (list.some((c) => c.matched)) matchedSeqs.push(seq);
      const first = v.firstRecord;
      return {
        clean: !v.findings.some((f) => f.severity === 'error') && v.droppedErrors === 0,
        report,
        ...(first ? { first } : {}),
        end: {
          ...(w.expectedSeq !== undefined ? { expectedSeq: w.expectedSeq } : {}),
          ...(w.lastHash !== undefined ? { lastHash: w.lastHash } : {}),
          lastTsMs: w.lastTsMs,
          stopped: w.stopped,
          ...(w.head ? { head: w.head } : {}),
          torn: w.epochTorn,
        },
        counts: { records: v.records, inRange: v.inRange, decisions: v.decisions, shadowDecisions: v.shadowDecisions },
        covered: { ...(v.coveredFrom !== undefined ? { from: v.coveredFrom } : {}), ...(v.coveredTo !== undefined ? { to: v.coveredTo } : {}) },
        matchedSeqs,
        uncovered: { ...w.uncovered },
        warnings: v.findings.filter((f) => f.severity === 'warning'),
      };
    });
  }

  /**
   * Main side: takes a clean segment summary in chain order as if its records had been read here.
   * Returns false when the segment does not continue the chain exactly (the caller then verifies
   * sequentially, for findings as precise as usual).
   */
  absorbSegment(meta: SourceSegment, summary: SegmentSummary): boolean {
    if (!summary.clean) return false;
    const errorsBefore = this.findings.length;
    this.beginSegment(meta);
    if (this.findings.length !== errorsBefore) return false;
    const w = this.w as WriterState;
    const first = summary.first;
    if (first) {
      if (w.expectedSeq !== undefined && (first.seq !== w.expectedSeq || (w.lastHash !== undefined && first.prev !== w.lastHash))) return false;
      if (Date.parse(first.ts) < w.lastTsMs || (w.stopped && summary.counts.records > 0)) return false;
      if (first.kind === 'writer-start' && first.start) {
        const previous = first.start.previous;
        if (w.prevEpochKnown) {
          const actual = w.prevEpochHead;
          if (!actual ? previous !== null : !previous || previous.epoch !== actual.epoch || previous.seq !== actual.seq || previous.hash !== actual.hash) return false;
        } else if (!w.anchored && meta.epoch === 1 && previous) return false;
        if (first.start.prev !== (previous ? previous.hash : GENESIS_HASH)) return false;
      }
    } else if (summary.counts.records > 0) {
      return false;
    }
    const seg = this.seg as SegmentReport;
    Object.assign(seg, { ...summary.report, file: seg.file ?? summary.report.file });
    this.records += summary.counts.records;
    this.inRange += summary.counts.inRange;
    this.decisions += summary.counts.decisions;
    this.shadowDecisions += summary.counts.shadowDecisions;
    if (summary.covered.from !== undefined && (this.coveredFrom === undefined || summary.covered.from < this.coveredFrom)) this.coveredFrom = summary.covered.from;
    if (summary.covered.to !== undefined && (this.coveredTo === undefined || summary.covered.to > this.coveredTo)) this.coveredTo = summary.covered.to;
    for (const seq of summary.matchedSeqs) for (const c of this.epochHeads?.get(seq) ?? []) c.matched = true;
    if (summary.uncovered.count > 0) {
      w.uncovered.count += summary.uncovered.count;
      if (summary.uncovered.first) w.uncovered.first ??= summary.uncovered.first;
    }
    if (first) {
      w.firstPos ??= { epoch: meta.epoch, seq: first.seq };
      if (summary.report.lastSeq !== undefined) w.lastPos = { epoch: meta.epoch, seq: summary.report.lastSeq };
    }
    const end = summary.end;
    if (end.expectedSeq !== undefined) w.expectedSeq = end.expectedSeq;
    if (end.lastHash !== undefined) w.lastHash = end.lastHash;
    else delete w.lastHash;
    w.lastTsMs = Math.max(w.lastTsMs, end.lastTsMs);
    w.stopped = end.stopped;
    if (end.head) w.head = end.head;
    if (end.torn) w.epochTorn = true;
    for (const f of summary.warnings) this.add(f);
    return true;
  }

  // ---- helpers ----------------------------------------------------------------------------

  private endEpoch(): void {
    const w = this.w as WriterState;
    if (w.head) w.prevEpochHead = { epoch: w.epoch, ...w.head, torn: w.epochTorn };
    else delete w.prevEpochHead;
  }

  private checkStart(event: AuditEvent, where: string, at: Omit<AuditFinding, 'severity' | 'code' | 'message'>): void {
    const w = this.w as WriterState;
    if (event.kind !== 'writer-start') return;
    if (event.seq !== 0) {
      this.add({ severity: 'error', code: 'misplaced_record', message: `${where}: a writer-start record at seq ${event.seq}`, ...at, seq: event.seq });
      return;
    }
    const previous = event.previous;
    if (w.prevEpochKnown) {
      const actual = w.prevEpochHead;
      if (!actual) {
        if (previous) {
          this.add({ severity: 'error', code: 'epoch_link_broken', message: `${where}: names epoch ${previous.epoch} seq ${previous.seq} as the previous head, but that epoch has no intact record`, ...at, seq: 0 });
        }
      } else if (!previous || previous.epoch !== actual.epoch || previous.seq !== actual.seq || previous.hash !== actual.hash) {
        this.add({
          severity: 'error',
          code: 'epoch_link_broken',
          message: `${where}: the writer-start names ${previous ? `epoch ${previous.epoch} seq ${previous.seq} (${short(previous.hash)})` : 'no previous epoch'} but epoch ${actual.epoch} ends at seq ${actual.seq} (${short(actual.hash)}): records of the previous epoch were added or removed`,
          ...at,
          seq: 0,
        });
      }
    } else if (!w.anchored && event.epoch === 1 && previous) {
      this.add({ severity: 'error', code: 'epoch_link_broken', message: `${where}: epoch 1 names a previous epoch ${previous.epoch}`, ...at, seq: 0 });
    }
    const expectedPrev = previous ? previous.hash : GENESIS_HASH;
    if (event.prev !== expectedPrev) {
      this.add({ severity: 'error', code: 'epoch_link_broken', message: `${where}: prev ${short(event.prev)} is not the previous head it names (${short(expectedPrev)})`, ...at, seq: 0 });
    }
  }

  private checkColumns(rec: SourceRecord, event: AuditEvent, at: Omit<AuditFinding, 'severity' | 'code' | 'message'>): void {
    const c = rec.columns;
    if (!c) return;
    const decisionId = event.kind === 'decision' ? event.decisionId : null;
    const bad: string[] = [];
    if (c.writer !== event.writer) bad.push('writer_id');
    if (c.epoch !== event.epoch) bad.push('epoch');
    if (c.seq !== event.seq) bad.push('seq');
    if (c.prev !== undefined && c.prev !== event.prev) bad.push('prev');
    if (c.kind !== undefined && c.kind !== event.kind) bad.push('kind');
    if (c.decisionId !== undefined && (c.decisionId ?? null) !== (decisionId ?? null)) bad.push('decision_id');
    if (c.hash !== undefined && c.hash !== rec.statedHash) bad.push('hash');
    if (c.records) bad.push(`records (${c.records.stated} stated, ${c.records.lines} held)`);
    if (bad.length > 0) {
      this.add({ severity: 'error', code: 'column_mismatch', message: `row ${rec.lineNo} (seq ${event.seq}): the columns ${bad.join(', ')} disagree with the record body`, ...at, seq: event.seq });
    }
  }

  private summaryOf(checkpointer: string): CheckpointSummary {
    let s = this.cpSummaries.get(checkpointer);
    if (!s) {
      s = { checkpointer, count: 0, valid: 0 };
      this.cpSummaries.set(checkpointer, s);
    }
    return s;
  }

  /** A problem the source found outside any record (an archive partition missing, for one). */
  sourceFinding(finding: AuditFinding): void {
    this.add(finding, false);
  }

  private add(finding: AuditFinding & { code: AuditFindingCode }, atThisRecord = true): void {
    if (this.recordProblems && atThisRecord && finding.severity === 'error') this.recordProblems.push(finding.code);
    const seg = this.seg;
    const inSegment = seg && finding.writer === seg.writer && finding.epoch === seg.epoch && finding.segment === seg.segment;
    if (inSegment && finding.severity === 'error') seg.status = 'invalid';
    if (this.findings.length >= MAX_FINDINGS) {
      // A wholly corrupt log would otherwise fill memory with one finding per line; they are counted.
      if (finding.severity === 'error') this.droppedErrors++;
      else this.droppedWarnings++;
      return;
    }
    if (inSegment) seg.findings.push(finding);
    this.findings.push(finding);
  }
}

/** Where a record is, built into a finding only when there is one. */
class Location {
  readonly writer: string;
  readonly epoch: number;
  readonly segment: number;
  readonly file?: string;
  readonly line: number;
  constructor(writer: string, meta: SourceSegment, line: number) {
    this.writer = writer;
    this.epoch = meta.epoch;
    this.segment = meta.segment;
    if (meta.file !== undefined) this.file = meta.file;
    this.line = line;
  }
  get where(): string {
    return this.file !== undefined ? `line ${this.line}` : `row ${this.line}`;
  }
}

function posKey(writer: string, epoch: number, seq: number): string {
  return `${writer}\u0000${epoch}\u0000${seq}`;
}

function comparePos(a: Pos, b: Pos): number {
  return a.epoch - b.epoch || a.seq - b.seq;
}

function short(hash: string): string {
  return hash.length > 12 ? `${hash.slice(0, 12)}…` : hash;
}

function label(file: string | undefined, checkpointer: string): string {
  return file ? `\`${file}\`` : `checkpoints of \`${checkpointer}\``;
}
