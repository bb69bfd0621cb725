import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { AuditConfigError } from './audit-error.js';
import { auditKeyId, loadAuditVerifyKey, parseAuditKeyText, type AuditKeyInput } from './audit-signing-keys.js';
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

/** A verification key and where it came from, as `verify` prints it. */
export interface TrustedKey {
  key: AuditKeyInput;
  keyId: string;
  /** `path` or `SAFEROUTE_AUDIT_PUBLIC_KEY (path)`. */
  from: string;
  /** Why this key proves little, when it sits where the log's writer could replace it. */
  caution?: string;
}

/**
 * The keys `--key FILE` names (else the file `SAFEROUTE_AUDIT_PUBLIC_KEY` names), each checked
 * against the key ids pinned with `--key-id`: an auditor who got the key id from the log's owner
 * out of band then knows the file in hand is that key, whatever else was put beside the log.
 */
export async function readTrustedKeys(
  paths: string[] | undefined,
  pinned: string[] | undefined,
  source: AuditLogSource,
  ctx: { cwd: string; env: Record<string, string | undefined> },
): Promise<TrustedKey[]> {
  const fromEnv = (paths ?? []).length === 0 ? ctx.env['SAFEROUTE_AUDIT_PUBLIC_KEY'] : undefined;
  const list = fromEnv ? [fromEnv] : (paths ?? []);
  const inputs = await readKeyFiles(list, ctx.cwd);
  const trusted = inputs.map((key, i): TrustedKey => {
    const path = abs(list[i] as string, ctx.cwd);
    const keyId = auditKeyId(loadAuditVerifyKey(key));
    const caution = 'dir' in source ? keyCaution(path, source.dir) : undefined;
    return { key, keyId, from: fromEnv ? `SAFEROUTE_AUDIT_PUBLIC_KEY (${list[i]})` : (list[i] as string), ...(caution ? { caution } : {}) };
  });
  if (pinned && pinned.length > 0) {
    if (trusted.length === 0) throw new UsageError('`--key-id` pins the key given with `--key FILE`: give the key file too');
    for (const t of trusted) {
      if (!pinned.includes(t.keyId)) {
        throw new AuditConfigError(
          `the key in \`${t.from}\` has key id \`${t.keyId}\`, not the pinned ${pinned.map((k) => `\`${k}\``).join(' or ')}: it is not the key you were given; do not trust this log's checkpoints with it`,
        );
      }
    }
  }
  return trusted;
}

/** A key file inside the log directory, or in the `DIR.keys` folder the CLI creates beside it. */
function keyCaution(keyPath: string, logDir: string): string | undefined {
  const rel = relative(logDir, keyPath);
  if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return 'it is inside the log directory';
  if (dirname(keyPath) === `${logDir}.keys`) return 'it is the development key kept beside the log';
  return undefined;
}

export function abs(path: string, cwd: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/** Writes to a command's stdout (see `src/cli/write-out.ts`: waits on a full pipe, stops on a closed one). */
export { writeOut, writeLast, OutputClosedError } from '../cli/write-out.js';
