import type { PgClientLike } from '../db/pg-pool-like.js';

/**
 * One simple-query message (`sql`, whose last statement is a `COPY … FROM STDIN`) with its COPY
 * data and CopyDone written right behind it, in one socket write: one round trip, where `pg` and
 * `pg-copy-streams` took three (BEGIN; COPY, then the data once CopyInResponse came back; each
 * answer first waiting its turn on the event loop). Measured with 256 writers on a loaded 2-core
 * machine: the event loop's delay (1–5 ms) on each of those answers was most of a batch's time.
 *
 * The protocol allows the data ahead of CopyInResponse: the server reads it once COPY starts, and
 * when a statement before COPY (or the COPY itself) fails, it discards the rest of the query
 * message and drops the CopyData and CopyDone that follow — nothing of the batch is stored, and
 * the error is what the promise rejects with.
 *
 * Resolves at ReadyForQuery: every statement has run (and, in an implicit transaction, committed
 * with the server's synchronous_commit).
 *
 * `onSent` is called once the socket no longer needs `data` (its bytes are in the kernel, or the
 * connection is gone), so that the caller may reuse the buffer; it may come before or after the
 * promise settles, and never when the query was not sent.
 */
export function pipelinedCopy(client: PgClientLike, sql: string, data: Buffer, onSent?: () => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    (client as unknown as { query(submittable: Submittable): unknown }).query(new PipelinedCopyQuery(sql, data, resolve, reject, onSent));
  });
}

/** The part of `pg`'s connection a submittable writes to. */
interface PgConnection {
  stream: { write(chunk: Buffer, callback?: (err?: Error | null) => void): boolean; cork?(): void; uncork?(): void };
}

/** What `pg`'s client calls on the active query (the contract `pg-copy-streams` also uses). */
interface Submittable {
  submit(connection: PgConnection): void;
  callback(): void;
  handleError(err: Error): void;
  handleReadyForQuery(): void;
  handleCommandComplete(): void;
  handleCopyInResponse(): void;
  handleRowDescription(): void;
  handleDataRow(): void;
  handleEmptyQuery(): void;
  handlePortalSuspended(): void;
  handleCopyData(): void;
}

const COPY_DONE = Buffer.from([0x63, 0, 0, 0, 4]);

class PipelinedCopyQuery implements Submittable {
  private settled = false;

  constructor(
    private readonly sql: string,
    private readonly data: Buffer,
    private readonly resolve: () => void,
    private readonly reject: (err: Error) => void,
    private readonly onSent?: () => void,
  ) {}

  submit(connection: PgConnection): void {
    const { stream } = connection;
    const text = Buffer.byteLength(this.sql);
    // Query: 'Q', int32 length, the text and its NUL; CopyData: 'd', int32 length, the data.
    const head = Buffer.allocUnsafe(1 + 4 + text + 1 + 1 + 4);
    let at = head.writeUInt8(0x51, 0);
    at = head.writeInt32BE(4 + text + 1, at);
    at += head.write(this.sql, at, 'utf8');
    at = head.writeUInt8(0, at);
    at = head.writeUInt8(0x64, at);
    head.writeInt32BE(4 + this.data.length, at);
    stream.cork?.();
    stream.write(head);
    stream.write(this.data);
    // Writes complete in order: this callback means the data before it has gone too (or failed
    // with the connection, after which nothing holds it either).
    const onSent = this.onSent;
    stream.write(COPY_DONE, onSent ? () => onSent() : undefined);
    stream.uncork?.();
  }

  /** `pg` replaces this with its query_timeout handling when that is configured. */
  callback(): void {}

  handleError(err: Error): void {
    // `pg` forgets the active query on an error; the ReadyForQuery after it is not ours to wait for.
    this.callback();
    if (this.settled) return;
    this.settled = true;
    this.reject(err);
  }

  handleReadyForQuery(): void {
    this.callback();
    if (this.settled) return;
    this.settled = true;
    this.resolve();
  }

  handleCommandComplete(): void {}
  /** The data is on its way already. */
  handleCopyInResponse(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}
