import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { prepareBody, type ChainPosition } from '../../src/audit/audit-record.js';
import { GENESIS_HASH } from '../../src/audit/audit-event.js';
import { AUDIT_COPY_COLUMNS, pgCopyBinary } from '../../src/audit/pg-copy-binary.js';
import { pipelinedCopy } from '../../src/audit/pg-pipelined-copy.js';
import { createBatchEncoder } from '../../src/audit/record-encoder.js';
import { sampleBody } from './fixtures.js';
import { PG_SKIP_NOTE, PG_URL, pgSchema } from './helpers.js';

/** `n` sealed records of writer `w` from `firstSeq`, as COPY binary rows. */
function rows(n: number, firstSeq = 0, writer = 'w'): Buffer {
  const encoder = createBatchEncoder(64);
  encoder.begin();
  let prev = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const position: ChainPosition = { writer, epoch: 1, seq: firstSeq + i, ts: '2026-12-06T10:00:00.000Z', prev };
    prev = encoder.seal(prepareBody(sampleBody()), position).hash;
  }
  return pgCopyBinary(writer, 1, encoder.finish());
}

(PG_URL ? describe : describe.skip)(`pipelinedCopy: a COPY and its data in one message${PG_URL ? '' : ` — ${PG_SKIP_NOTE}`}`, () => {
  let db: Awaited<ReturnType<typeof pgSchema>>;
  let copySql: string;
  const count = async (): Promise<number> => Number((await db.pool.query(`SELECT count(*) AS n FROM ${db.schema}.saferoute_audit_events`)).rows[0].n);
  beforeAll(async () => {
    db = await pgSchema(PG_URL as string);
    copySql = `COPY ${db.schema}.saferoute_audit_events ${AUDIT_COPY_COLUMNS} FROM STDIN (FORMAT binary)`;
  });
  afterAll(async () => db?.cleanup());

  async function withClient(fn: (c: pg.PoolClient) => Promise<void>): Promise<void> {
    const c = await db.pool.connect();
    try {
      await fn(c);
    } finally {
      c.release(true);
    }
  }

  it('on its own, commits in its implicit transaction before it resolves', async () => {
    await db.pool.query(`TRUNCATE ${db.schema}.saferoute_audit_events`);
    await withClient(async (c) => {
      await pipelinedCopy(c, copySql, rows(50));
      expect(await count()).toBe(50);
      // The connection is ready for the next query at once.
      expect((await c.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    });
  });

  it('says when the socket has taken the data, so that its buffer may be reused', async () => {
    await db.pool.query(`TRUNCATE ${db.schema}.saferoute_audit_events`);
    await withClient(async (c) => {
      let sent = 0;
      const data = rows(50);
      const copying = pipelinedCopy(c, copySql, data, () => sent++);
      await copying;
      expect(sent).toBe(1);
      // Overwriting the buffer now changes nothing stored.
      const stored = (await db.pool.query(`SELECT body FROM ${db.schema}.saferoute_audit_events ORDER BY seq LIMIT 1`)).rows[0].body as string;
      data.fill(0);
      expect((await db.pool.query(`SELECT body FROM ${db.schema}.saferoute_audit_events ORDER BY seq LIMIT 1`)).rows[0].body).toBe(stored);
      expect(await count()).toBe(50);
    });
  });

  it('after BEGIN in the same message, stays invisible to other sessions until COMMIT', async () => {
    await db.pool.query(`TRUNCATE ${db.schema}.saferoute_audit_events`);
    await withClient(async (c) => {
      await pipelinedCopy(c, `BEGIN; ${copySql}`, rows(40));
      expect(await count()).toBe(0);
      await c.query('COMMIT');
      expect(await count()).toBe(40);
    });
  });

  it('a row the server refuses (a duplicate key) stores none of the batch, and the connection goes on', async () => {
    await db.pool.query(`TRUNCATE ${db.schema}.saferoute_audit_events`);
    await withClient(async (c) => {
      await pipelinedCopy(c, copySql, rows(5, 15));
      // seq 10..19: 15..19 collide with the batch before, half-way through this one.
      const err = await pipelinedCopy(c, copySql, rows(10, 10)).catch((e: unknown) => e);
      expect((err as { code?: string }).code).toBe('23505');
      expect(await count()).toBe(5);
      await pipelinedCopy(c, copySql, rows(10, 20));
      expect(await count()).toBe(15);
    });
  });

  it('a statement before the COPY that fails: the COPY and its data are dropped, nothing is stored, the connection goes on', async () => {
    await db.pool.query(`TRUNCATE ${db.schema}.saferoute_audit_events`);
    await withClient(async (c) => {
      const err = await pipelinedCopy(c, `SELECT 1 / 0; ${copySql}`, rows(30)).catch((e: unknown) => e);
      expect((err as { code?: string }).code).toBe('22012');
      expect(await count()).toBe(0);
      // In a transaction the failure leaves it aborted; ROLLBACK ends it and the next batch commits.
      const inTx = await pipelinedCopy(c, `BEGIN; SELECT 1 / 0; ${copySql}`, rows(30)).catch((e: unknown) => e);
      expect((inTx as { code?: string }).code).toBe('22012');
      await c.query('ROLLBACK');
      await pipelinedCopy(c, copySql, rows(30));
      expect(await count()).toBe(30);
    });
  });

  it('a lost connection rejects the copy in flight', async () => {
    await withClient(async (c) => {
      const pid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
      c.on('error', () => undefined);
      const copying = pipelinedCopy(c, `SELECT pg_sleep(0.3); ${copySql}`, rows(5, 1000));
      // Listened to before the connection is cut: it may reject before the terminating query returns.
      const rejected = expect(copying).rejects.toThrow(/terminating connection|Connection terminated/);
      await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
      await rejected;
    });
  });
});
