import { readFileSync } from 'node:fs';
import pg from 'pg';
import { SaferouteError } from '../errors.js';
import { redactUrl } from '../audit/redact-url.js';
import type { PgPoolLike } from './pg-pool-like.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The `pg.Pool` options saferoute sets, as its own type (an app's `tsc` needs no `@types/pg`);
 * the object is passed to `new pg.Pool(…)` as it is.
 */
export interface PgPoolSettings {
  connectionString?: string;
  max: number;
  /** Server-side `statement_timeout`, milliseconds. */
  statement_timeout: number;
  connectionTimeoutMillis: number;
  keepAlive: boolean;
  ssl?: { ca: string; rejectUnauthorized: boolean };
}

/**
 * The PostgreSQL settings an operator gives through the environment:
 *
 * | variable | meaning | default |
 * |---|---|---|
 * | `SAFEROUTE_PG_URL` | connection string; TLS with `sslmode=require`/`verify-full` (and `sslrootcert=`) | — |
 * | `SAFEROUTE_PG_POOL_MAX` | connections per process | 10 |
 * | `SAFEROUTE_PG_STATEMENT_TIMEOUT_MS` | server-side `statement_timeout` per statement | 5000 |
 * | `SAFEROUTE_PG_CONNECT_TIMEOUT_MS` | how long a new connection may take | 5000 |
 * | `SAFEROUTE_PG_SSL_CA` | a PEM file of the CA that signed the server's certificate: TLS, verified | — |
 */
export const PG_SETTINGS = {
  url: 'SAFEROUTE_PG_URL',
  poolMax: 'SAFEROUTE_PG_POOL_MAX',
  statementTimeoutMs: 'SAFEROUTE_PG_STATEMENT_TIMEOUT_MS',
  connectTimeoutMs: 'SAFEROUTE_PG_CONNECT_TIMEOUT_MS',
  sslCa: 'SAFEROUTE_PG_SSL_CA',
} as const;

function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new SaferouteError('config_invalid', `${name} must be a positive whole number, not \`${raw}\``);
  return n;
}

/**
 * `pg.Pool` options from the environment (see `PG_SETTINGS`); `url` overrides `SAFEROUTE_PG_URL`
 * (a `--pg` option). TLS options pass through to `pg`: `sslmode` and `sslrootcert` in the URL, or
 * `SAFEROUTE_PG_SSL_CA`, which turns on verified TLS (and takes the place of the URL's `sslmode`).
 */
export function pgPoolConfigFromEnv(env: Env, url?: string): PgPoolSettings {
  let connectionString = url ?? env[PG_SETTINGS.url];
  if (connectionString === undefined || connectionString === '') {
    throw new SaferouteError('config_invalid', `no PostgreSQL database given: set ${PG_SETTINGS.url} (e.g. postgres://user@host:5432/db) or pass --pg URL`);
  }
  const config: PgPoolSettings = {
    max: positiveInt(env, PG_SETTINGS.poolMax, 10),
    statement_timeout: positiveInt(env, PG_SETTINGS.statementTimeoutMs, 5000),
    connectionTimeoutMillis: positiveInt(env, PG_SETTINGS.connectTimeoutMs, 5000),
    keepAlive: true,
  };
  const caFile = env[PG_SETTINGS.sslCa];
  if (caFile) {
    let ca: string;
    try {
      ca = readFileSync(caFile, 'utf8');
    } catch (err) {
      throw new SaferouteError('config_invalid', `${PG_SETTINGS.sslCa}: cannot read \`${caFile}\`: ${(err as Error).message}`, { cause: err });
    }
    try {
      // pg lets the URL's TLS parameters win over `ssl`: the CA setting replaces them.
      const u = new URL(connectionString);
      if (u.searchParams.get('sslmode') === 'disable') throw new SaferouteError('config_invalid', `${PG_SETTINGS.sslCa} is set but the URL says sslmode=disable: remove one of them`);
      for (const p of ['sslmode', 'sslrootcert', 'ssl']) u.searchParams.delete(p);
      connectionString = u.toString();
    } catch (err) {
      if (err instanceof SaferouteError) throw err;
      throw new SaferouteError('config_invalid', `${PG_SETTINGS.url} is not a URL`, { cause: err });
    }
    config.ssl = { ca, rejectUnauthorized: true };
  }
  config.connectionString = connectionString;
  return config;
}

/**
 * A pool from the environment that has answered `SELECT 1`: a database that cannot be reached at
 * start is a configuration error (exit 78) naming the setting, never a later surprise.
 */
export async function openPgPoolFromEnv(env: Env, url?: string): Promise<PgPoolLike & { on(event: 'error', listener: (error: Error) => void): unknown }> {
  const config = pgPoolConfigFromEnv(env, url);
  const pool = new pg.Pool(config);
  // An idle connection that breaks must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    const where = redactUrl(config.connectionString ?? '');
    const setting = url !== undefined ? '--pg' : PG_SETTINGS.url;
    throw new SaferouteError('config_invalid', `cannot reach PostgreSQL at ${where} (${setting}): ${(err as Error).message}; check ${setting}, that the server runs and accepts this client (and its TLS settings)`, {
      cause: err,
    });
  }
  return pool;
}
