import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Command, CommandContext } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { parseCommandArgs } from '../parse-args.js';
import { SaferouteError, UsageError } from '../../errors.js';
import { COLLECTION_METHODS, type CollectionMethod, type ConsentEventInput, type ConsentRecord } from '../../subjects/consent/consent-record.js';
import { consentStateAt, type ConsentStatus } from '../../subjects/consent/consent-state.js';
import type { ConsentStore } from '../../subjects/consent/consent-store.js';
import { DEFAULT_CONSENT_STORE_PATH, openConsentStore } from '../../subjects/consent/open-consent-store.js';
import { DEFAULT_PSEUDONYM_KEY_ENV, pseudonymKeyFromEnv } from '../../subjects/pseudonym.js';

const STORE_HELP = `Store (one of):
  --store PATH        the file store (default: $SAFEROUTE_CONSENT_STORE or ${DEFAULT_CONSENT_STORE_PATH})
  --pg URL            the PostgreSQL store (run \`saferoute migrate --pg URL\` first)
  --schema NAME       PostgreSQL schema of the tables (default: the search_path)
  --key-env NAME      environment variable holding the pseudonym key (default ${DEFAULT_PSEUDONYM_KEY_ENV});
                      subject ids are stored only as HMAC-SHA256 pseudonyms under this key`;

const grantUsage = `usage: saferoute consent grant --subject ID --scope SCOPE --version X.Y.Z
                              (--notice FILE | --notice-sha256 HEX --notice-id ID) [options]

Records that the subject gave consent to SCOPE at notice version X.Y.Z (ISO/IEC TS 27560 style:
the notice's id and SHA-256, the collection method, an optional validity period).

  --notice FILE         the notice text shown; its SHA-256 is recorded, its file name is the id
  --notice-sha256 HEX   the notice's SHA-256, when the text is not at hand (needs --notice-id)
  --notice-id ID        the notice's id (default: the --notice file name)
  --method METHOD       how consent was collected: ${COLLECTION_METHODS.join(', ')} (default api)
  --expires TIME        end of validity (ISO 8601), or --valid-days N
  --jurisdiction CC     where it was collected (ISO 3166-1 alpha-2)
  --at TIME             when it was given (ISO 8601; default now)
  --record-id UUID      makes a retried command idempotent
  --json                print the stored record as JSON

${STORE_HELP}`;

const withdrawUsage = `usage: saferoute consent withdraw --subject ID --scope SCOPE [--version X.Y.Z] [options]

Records a withdrawal. It applies to every decision made from its time on. The version defaults
to that of the subject's latest event for the scope.

  --method METHOD   ${COLLECTION_METHODS.join(', ')} (default api)
  --at TIME         when it was withdrawn (ISO 8601; default now)
  --record-id UUID  makes a retried command idempotent
  --json            print the stored record as JSON

${STORE_HELP}`;

const showUsage = `usage: saferoute consent show --subject ID [--scope SCOPE] [--at TIME] [--json]

Shows the consent state per scope as of TIME (default now) and every recorded event.

${STORE_HELP}`;

const storeOptions = {
  subject: { type: 'string' },
  scope: { type: 'string' },
  store: { type: 'string' },
  pg: { type: 'string' },
  schema: { type: 'string' },
  'key-env': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function isoOption(value: string | undefined, flag: string): string | undefined {
  if (value == null) return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms) || !/^\d{4}-\d{2}-\d{2}/.test(value)) throw new UsageError(`\`--${flag} ${value}\` is not an ISO 8601 time`);
  return new Date(ms).toISOString();
}

function method(value: string | undefined): CollectionMethod {
  const m = value ?? 'api';
  if (!(COLLECTION_METHODS as readonly string[]).includes(m)) throw new UsageError(`\`--method ${m}\`: use one of ${COLLECTION_METHODS.join(', ')}`);
  return m as CollectionMethod;
}

async function withStore<T>(
  values: { store?: string | undefined; pg?: string | undefined; schema?: string | undefined; 'key-env'?: string | undefined },
  ctx: CommandContext,
  fn: (store: ConsentStore) => Promise<T>,
): Promise<T> {
  if (values.store != null && values.pg != null) throw new UsageError('give either `--store PATH` or `--pg URL`, not both');
  const pseudonymKey = pseudonymKeyFromEnv(ctx.env, values['key-env'] ?? DEFAULT_PSEUDONYM_KEY_ENV);
  const store = await openConsentStore({
    pseudonymKey,
    cwd: ctx.cwd,
    ...(values.pg != null ? { pgUrl: values.pg } : { path: values.store ?? ctx.env.SAFEROUTE_CONSENT_STORE ?? DEFAULT_CONSENT_STORE_PATH }),
    ...(values.schema != null ? { schema: values.schema } : {}),
  });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function required(value: string | undefined, flag: string): string {
  if (value == null || value === '') throw new UsageError(`\`--${flag}\` is required`);
  return value;
}

function describeRecord(r: ConsentRecord): string {
  const parts = [`${r.at}  ${r.state.padEnd(10)} ${r.scope} ${r.version}`, `record ${r.recordId}`, `via ${r.collectionMethod}`];
  if (r.noticeId != null) parts.push(`notice ${r.noticeId}${r.noticeSha256 != null ? ` sha256:${r.noticeSha256.slice(0, 12)}…` : ''}`);
  if (r.expiresAt != null) parts.push(`until ${r.expiresAt}`);
  if (r.jurisdiction != null) parts.push(r.jurisdiction);
  return parts.join('  ');
}

async function appendFrom(argv: string[], ctx: CommandContext, state: 'given' | 'withdrawn', usage: string): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...storeOptions,
    version: { type: 'string' },
    notice: { type: 'string' },
    'notice-sha256': { type: 'string' },
    'notice-id': { type: 'string' },
    method: { type: 'string' },
    expires: { type: 'string' },
    'valid-days': { type: 'string' },
    jurisdiction: { type: 'string' },
    at: { type: 'string' },
    'record-id': { type: 'string' },
  });
  if (values.help) {
    ctx.stdout.write(usage + '\n');
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument \`${positionals[0]}\``);
  const subjectId = required(values.subject, 'subject');
  const scope = required(values.scope, 'scope');
  const at = isoOption(values.at, 'at') ?? new Date().toISOString();

  let noticeSha256 = values['notice-sha256'];
  let noticeId = values['notice-id'];
  if (values.notice != null) {
    if (noticeSha256 != null) throw new UsageError('give either `--notice FILE` or `--notice-sha256 HEX`, not both');
    const path = resolve(ctx.cwd, values.notice);
    let text: Buffer;
    try {
      text = await readFile(path);
    } catch (e) {
      throw new SaferouteError('config_invalid', `cannot read the notice \`${values.notice}\`: ${(e as Error).message}`, { cause: e });
    }
    noticeSha256 = createHash('sha256').update(text).digest('hex');
    noticeId ??= basename(path);
  }
  if (state === 'given') {
    required(values.version, 'version');
    if (noticeSha256 == null) throw new UsageError('a grant needs the notice shown: `--notice FILE` or `--notice-sha256 HEX --notice-id ID`');
    if (noticeId == null) throw new UsageError('`--notice-sha256` needs `--notice-id`');
  } else if (values.expires != null || values['valid-days'] != null) {
    throw new UsageError('a withdrawal has no validity period');
  }
  let expiresAt = isoOption(values.expires, 'expires');
  if (values['valid-days'] != null) {
    if (expiresAt != null) throw new UsageError('give either `--expires` or `--valid-days`, not both');
    const days = Number(values['valid-days']);
    if (!Number.isInteger(days) || days <= 0) throw new UsageError(`\`--valid-days ${values['valid-days']}\` must be a positive whole number`);
    expiresAt = new Date(Date.parse(at) + days * 86_400_000).toISOString();
  }

  const record = await withStore(values, ctx, async (store) => {
    let version = values.version;
    if (version == null) {
      const previous = (await store.events(subjectId, scope)).at(-1);
      if (previous == null) throw new UsageError(`no consent to \`${scope}\` is recorded for this subject; give \`--version\``);
      version = previous.version;
      noticeId ??= previous.noticeId;
      noticeSha256 ??= previous.noticeSha256;
    }
    const input: ConsentEventInput = { subjectId, scope, version, state, at, collectionMethod: method(values.method) };
    if (noticeId != null) input.noticeId = noticeId;
    if (noticeSha256 != null) input.noticeSha256 = noticeSha256;
    if (expiresAt != null) input.expiresAt = expiresAt;
    if (values.jurisdiction != null) input.jurisdiction = values.jurisdiction;
    if (values['record-id'] != null) input.recordId = values['record-id'];
    return store.append(input);
  });
  ctx.stdout.write(values.json ? JSON.stringify(record) + '\n' : `recorded ${describeRecord(record)}\n`);
  return EXIT.ok;
}

export const consentGrantCommand: Command = {
  name: 'consent grant',
  summary: 'record that a subject gave consent to a scope (notice version and SHA-256)',
  usage: grantUsage,
  run: (argv, ctx) => appendFrom(argv, ctx, 'given', grantUsage),
};

export const consentWithdrawCommand: Command = {
  name: 'consent withdraw',
  summary: 'record that a subject withdrew consent to a scope',
  usage: withdrawUsage,
  run: (argv, ctx) => appendFrom(argv, ctx, 'withdrawn', withdrawUsage),
};

export const consentShowCommand: Command = {
  name: 'consent show',
  summary: "show a subject's consent state per scope and its event history",
  usage: showUsage,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(argv, { ...storeOptions, at: { type: 'string' } });
    if (values.help) {
      ctx.stdout.write(showUsage + '\n');
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument \`${positionals[0]}\``);
    const subjectId = required(values.subject, 'subject');
    const at = new Date(isoOption(values.at, 'at') ?? Date.now());
    const events = await withStore(values, ctx, (store) => store.events(subjectId, values.scope));
    const scopes = values.scope != null ? [values.scope] : [...new Set(events.map((e) => e.scope))].sort();
    const states: ConsentStatus[] = scopes.map((scope) => consentStateAt(events, scope, at));
    if (values.json) {
      ctx.stdout.write(JSON.stringify({ subject: events[0]?.subject, at: at.toISOString(), states, events }) + '\n');
      return EXIT.ok;
    }
    if (states.length === 0) {
      ctx.stdout.write(`no consent recorded for this subject\n`);
      return EXIT.ok;
    }
    const lines = [`consent as of ${at.toISOString()}:`];
    for (const s of states) {
      lines.push(`  ${s.scope}: ${s.state}${s.version != null ? ` (version ${s.version}` + (s.since != null ? `, since ${s.since}` : '') + ')' : ''}`);
    }
    lines.push('', 'events:');
    for (const e of events) lines.push(`  ${describeRecord(e)}`);
    ctx.stdout.write(lines.join('\n') + '\n');
    return EXIT.ok;
  },
};

/** The three `consent` commands, for the command list. */
export const consentCommands: readonly Command[] = [consentGrantCommand, consentWithdrawCommand, consentShowCommand];
