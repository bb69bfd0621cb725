/**
 * A gateway instance for the multi-writer test: its own PostgreSQL audit writer, 64 concurrent
 * appenders, `ack <decisionId> <seq>` on standard output for every acknowledged record.
 *
 *   args: URL SCHEMA WRITER_ID COUNT KEY_PEM   (COUNT `forever`: until the parent kills it)
 */
import { createPgAuditSink } from '../../src/audit/pg-audit-sink.js';
import { sampleBody } from './fixtures.js';

const [url, schema, writerId, count, keyPem] = process.argv.slice(2) as [string, string, string, string, string];
const limit = count === 'forever' ? Number.POSITIVE_INFINITY : Number(count);

const sink = await createPgAuditSink({ connectionString: url, schema, writerId, checkpoint: { key: keyPem, intervalMs: 100 } });
process.stdout.write('ready\n');
let started = 0;
async function appender(): Promise<void> {
  while (started < limit) {
    started++;
    const body = sampleBody();
    const ack = await sink.append(body);
    if (ack.durable) process.stdout.write(`ack ${body.decisionId} ${ack.seq}\n`);
  }
}
await Promise.all(Array.from({ length: 64 }, () => appender()));
await sink.close();
process.stdout.write('closed\n');
