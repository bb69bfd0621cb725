import { openPgPoolFromEnv } from '../../db/pg-settings.js';
import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { parseCommandArgs } from '../parse-args.js';
import { UsageError } from '../../errors.js';
import { AUDIT_MIGRATIONS } from '../../audit/pg-migrations.js';
import { runMigrations } from '../../db/migrate.js';
import { SUBJECT_MIGRATIONS } from '../../subjects/subject-migrations.js';

const usage = `usage: saferoute migrate --pg URL [--schema NAME] [--json]

Creates or updates the PostgreSQL tables saferoute uses (consent events, used single-use
attestations, the audit trail). Pending migrations run in id order, each in a transaction, and
are recorded in saferoute_migrations; several instances may run this at once.

  --pg URL        connection string (default: $SAFEROUTE_PG_URL)
  --schema NAME   schema to create the tables in (default: the connection's search_path)
  --json          print {applied, skipped} as JSON`;

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'create or update the PostgreSQL tables (consent, attestations, audit)',
  usage,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(argv, {
      pg: { type: 'string' },
      schema: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      ctx.stdout.write(usage + '\n');
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument \`${positionals[0]}\``);
    const url = values.pg ?? ctx.env.SAFEROUTE_PG_URL;
    if (url == null || url === '') throw new UsageError('give the database with `--pg URL` (or set SAFEROUTE_PG_URL)');
    const pool = await openPgPoolFromEnv({ ...ctx.env, SAFEROUTE_PG_POOL_MAX: '1' }, values.pg);
    try {
      const result = await runMigrations(pool, [...SUBJECT_MIGRATIONS, ...AUDIT_MIGRATIONS], values.schema != null ? { schema: values.schema } : {});
      if (values.json) {
        ctx.stdout.write(JSON.stringify(result) + '\n');
      } else {
        for (const id of result.applied) ctx.stdout.write(`applied ${id}\n`);
        ctx.stdout.write(
          result.applied.length === 0 ? `up to date (${result.skipped.length} migrations already applied)\n` : `${result.applied.length} applied, ${result.skipped.length} already applied\n`,
        );
      }
      return EXIT.ok;
    } finally {
      await pool.end();
    }
  },
};
