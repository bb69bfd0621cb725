import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { parseAuditKeyText, type AuditKeyInput } from './audit-signing-keys.js';
import type { AuditLogSource } from './verify-audit-log.js';

/** Options every `saferoute audit` command shares: where the log is and which time range. */
export const AUDIT_SOURCE_OPTIONS = {
  pg: { type: 'string' },
  schema: { type: 'string' },
  'checkpoints-dir': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
} as const;

export function auditSourceOf(
  positionals: string[],
  values: { pg?: string | undefined; schema?: string | undefined; 'checkpoints-dir'?: string | undefined },
  cwd: string,
): AuditLogSource {
  if (positionals.length > 1) throw new UsageError(`expected one log directory, got ${positionals.length}: ${positionals.map((p) => `\`${p}\``).join(' ')}`);
  const path = positionals[0];
  if (path !== undefined && values.pg !== undefined) throw new UsageError('give either a log directory or `--pg URL`, not both');
  if (values.pg !== undefined) {
    return { pg: { connectionString: values.pg, ...(values.schema !== undefined ? { schema: values.schema } : {}) } };
  }
  if (path === undefined) throw new UsageError('give the audit log directory or `--pg URL`');
  return {
    dir: abs(path, cwd),
    ...(values['checkpoints-dir'] !== undefined ? { checkpointsDir: abs(values['checkpoints-dir'], cwd) } : {}),
  };
}

/** An ISO 8601 time or date (`2025-06-01`, `2025-06-01T12:00:00Z`); a date alone means its start (UTC). */
export function parseTimeOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (!Number.isFinite(ms)) throw new UsageError(`\`--${name} ${value}\` is not an ISO 8601 time`);
  return ms;
}

export async function readKeyFiles(paths: string[] | undefined, cwd: string): Promise<AuditKeyInput[]> {
  const keys: AuditKeyInput[] = [];
  for (const p of paths ?? []) {
    let text: string;
    try {
      text = await readFile(abs(p, cwd), 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read the key file \`${p}\`: ${(err as Error).message}`);
    }
    keys.push(parseAuditKeyText(text));
  }
  return keys;
}

export function abs(path: string, cwd: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/** Writes to a command's stdout (see `src/cli/write-out.ts`: waits on a full pipe, stops on a closed one). */
export { writeOut, writeLast, OutputClosedError } from '../cli/write-out.js';
