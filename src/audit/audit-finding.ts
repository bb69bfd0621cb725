export type AuditFindingCode =
  | 'hash_mismatch'
  | 'seq_gap'
  | 'prev_mismatch'
  | 'malformed_record'
  | 'misplaced_record'
  | 'torn_tail'
  | 'tail_in_progress'
  | 'missing_segment'
  | 'missing_epoch'
  | 'epoch_link_broken'
  | 'writer_start_missing'
  | 'record_after_stop'
  | 'ts_decreased'
  | 'not_canonical'
  | 'column_mismatch'
  | 'checkpoint_malformed'
  | 'checkpoint_torn'
  | 'checkpoint_hash_mismatch'
  | 'checkpoint_bad_signature'
  | 'checkpoint_unknown_key'
  | 'checkpoint_chain_broken'
  | 'checkpoint_mismatch'
  | 'checkpoint_beyond_log'
  | 'uncovered_records'
  | 'no_checkpoints'
  | 'checkpoints_missing'
  | 'epoch_unterminated'
  | 'signatures_not_checked'
  | 'witness_empty'
  | 'witness_checkpoint_invalid'
  | 'witness_checkpoint_missing'
  | 'witness_beyond_log'
  | 'witness_mismatch'
  | 'witness_behind'
  | 'witness_missing_writer'
  | 'archive_missing'
  | 'archive_mismatch'
  | 'archive_unexpected'
  | 'archive_incomplete'
  | 'archive_not_verified';

/** One problem found by `verifyAuditLog`, located as precisely as the source allows. */
export interface AuditFinding {
  severity: 'error' | 'warning';
  code: AuditFindingCode;
  message: string;
  writer?: string;
  epoch?: number;
  segment?: number;
  /** The segment file or checkpoint file (file sink). */
  file?: string;
  /** 1-based line in `file`. */
  line?: number;
  seq?: number;
  checkpointer?: string;
  /** The writers a finding about several of them names (e.g. `archive_not_verified`). */
  writers?: string[];
}
