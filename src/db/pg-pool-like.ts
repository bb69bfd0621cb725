/**
 * The part of a `pg` pool saferoute uses. The public options name these instead of `pg`'s own
 * types, so an app's `tsc` needs no `@types/pg`; a `pg.Pool` fits them as it is.
 */
export interface PgQueryConfigLike {
  text: string;
  values?: unknown[];
  /** A prepared statement's name. */
  name?: string;
}

export interface PgQueryResultLike<R> {
  rows: R[];
  rowCount: number | null;
}

export interface PgQueryable {
  // `any` rows by default, as `pg` has it: the caller names the row type it selected.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query<R extends object = any>(textOrConfig: string | PgQueryConfigLike, values?: unknown[]): Promise<PgQueryResultLike<R>>;
}

export interface PgClientLike extends PgQueryable {
  /** `true` (or an error) destroys the connection instead of returning it to the pool. */
  release(destroy?: boolean | Error): void;
  /** A connection lost while checked out is reported here, not thrown. */
  on(event: 'error', listener: (error: Error) => void): unknown;
  /** Takes a listener off again before the connection goes back to a pool that outlives its user. */
  removeListener?(event: 'error', listener: (error: Error) => void): unknown;
}

export interface PgPoolLike extends PgQueryable {
  connect(): Promise<PgClientLike>;
  end(): Promise<void>;
}
