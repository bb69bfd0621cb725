import type { PreviousEpochHead } from './audit-event.js';
import type { SealedBatch } from './record-encoder.js';

export interface ChainHead {
  seq: number;
  hash: string;
  ts: string;
}

export interface ChainStoreOpened {
  epoch: number;
  previous: PreviousEpochHead | null;
  previousUnreadable?: { epoch: number; reason: string };
}

/** A write that `sync` has not yet made durable; `undo` removes it if the sync fails. */
export interface StoreWrite {
  undo(): Promise<void>;
}

/**
 * Where a chain writer puts its records. `write` stores a batch (after the previous one; the
 * batch's bytes are reused once `write` settles, so a store copies what it keeps) or fails
 * leaving none of it where a later write would follow it (the store cuts a partial write off, or
 * moves to a fresh segment); `sync` makes every write so far durable. The writer writes one batch
 * at a time and starts a batch's `sync` once its `write` is done, while up to one earlier sync may
 * still run: a store lets syncs overlap and waits for every sync in flight before closing a file.
 */
export interface ChainStore {
  readonly kind: 'file' | 'pg';
  open(): Promise<ChainStoreOpened>;
  write(batch: SealedBatch): Promise<StoreWrite>;
  sync(): Promise<void>;
  /**
   * After a failed write (`continue` mode), before the next one. Returns the durable head when the
   * store knows it moved past `head` (a commit whose answer was lost), or `null` to keep `head`.
   */
  recover(head: ChainHead | undefined): Promise<ChainHead | null>;
  close(): Promise<void>;
}
