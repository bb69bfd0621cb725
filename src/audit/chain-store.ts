import type { PreviousEpochHead } from './audit-event.js';
import type { SealedRecord } from './audit-record.js';

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
 * Where a chain writer puts its records. `write` stores a batch (after the previous one) or fails
 * leaving none of it where a later write would follow it (the store cuts a partial write off, or
 * moves to a fresh segment); `sync` makes every write so far durable. The writer overlaps the
 * next batch's `write` with the previous batch's `sync`, and never runs two syncs at once.
 */
export interface ChainStore {
  readonly kind: 'file' | 'pg';
  open(): Promise<ChainStoreOpened>;
  write(records: readonly SealedRecord[]): Promise<StoreWrite>;
  sync(): Promise<void>;
  /**
   * After a failed write (`continue` mode), before the next one. Returns the durable head when the
   * store knows it moved past `head` (a commit whose answer was lost), or `null` to keep `head`.
   */
  recover(head: ChainHead | undefined): Promise<ChainHead | null>;
  close(): Promise<void>;
}
