import { isAbsolute, resolve } from 'node:path';
import type { Command, CommandContext } from '../command.js';
import { UsageError } from '../../errors.js';
import { EXIT } from '../exit-codes.js';
import { parseCommandArgs } from '../parse-args.js';
import { parseTimeOption, writeOut } from '../../audit/audit-cli-options.js';
import { archiveAuditPartitions } from '../../audit/pg-archive.js';
import { openPgPoolFromEnv } from '../../db/pg-settings.js';

const USAGE = `usage: saferoute audit archive --pg URL [--schema NAME] --before DATE --to DIR [--json]

Moves the monthly partitions of the PostgreSQL audit table whose whole month ends at or before
DATE out to DIR, as JSONL files (one per writer and epoch, lines as the file sink writes them)
with the month's signed checkpoints and a manifest. Per partition: detach it, write and fsync
the files, read them back and check them against the table, then drop it. A run that stops
midway loses nothing: run it again and it finishes the partition it had detached first.
Verify across the archive and the table with \`saferoute audit verify --pg URL --archive DIR\`.

  --pg URL        connection string (default: $SAFEROUTE_PG_URL)
  --schema NAME   schema of the audit tables
  --before DATE   ISO 8601 date or time; months not over yet are never archived
  --to DIR        the archive directory (created when missing); keep it for as long as the log
  --json          print the archived partitions as JSON

exit status: 0 done (also when nothing was due), 64 usage error, 78 configuration problem`;

export const auditArchiveCommand: Command = {
  name: 'audit archive',
  summary: 'move old monthly partitions of the PostgreSQL audit log out as verifiable JSONL',
  usage: USAGE,
  async run(argv: string[], ctx: CommandContext): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, {
      pg: { type: 'string' },
      schema: { type: 'string' },
      before: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean' },
    } as const);
    if (positionals.length > 0) throw new UsageError(`unexpected argument \`${positionals[0]}\``);
    const url = values.pg ?? ctx.env.SAFEROUTE_PG_URL;
    if (url == null || url === '') throw new UsageError('give the database with `--pg URL` (or set SAFEROUTE_PG_URL)');
    const before = parseTimeOption('before', values.before);
    if (before === undefined) throw new UsageError('give `--before DATE`: partitions of months that end by then are archived');
    if (before > Date.now()) throw new UsageError(`\`--before ${values.before}\` is in the future: only months that have ended can be archived`);
    if (values.to === undefined || values.to === '') throw new UsageError('give the archive directory with `--to DIR`');
    const to = isAbsolute(values.to) ? values.to : resolve(ctx.cwd, values.to);
    const pool = await openPgPoolFromEnv({ ...ctx.env, SAFEROUTE_PG_POOL_MAX: '2' }, url);
    try {
      const done = await archiveAuditPartitions({ pool, ...(values.schema !== undefined ? { schema: values.schema } : {}), before: new Date(before), to });
      if (values.json) {
        await writeOut(ctx.stdout, JSON.stringify({ archived: done }) + '\n');
      } else if (done.length === 0) {
        await writeOut(ctx.stdout, `nothing to archive: no monthly partition ends by ${new Date(before).toISOString()}\n`);
      } else {
        const lines = done.map(
          (p) =>
            `archived ${p.partition} (${p.from.slice(0, 10)} – ${p.to.slice(0, 10)}): ${p.records} records in ${p.chains} chain file(s), ${p.checkpoints} checkpoint(s) → ${p.dir}${p.resumed ? ' (finished an interrupted run)' : ''}`,
        );
        await writeOut(ctx.stdout, lines.join('\n') + '\n');
      }
      return EXIT.ok;
    } finally {
      await pool.end();
    }
  },
};
