import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { randomBytes, createHash } from 'node:crypto';
const url = 'postgres://postgres@127.0.0.1:5432/test';
const c = new pg.Client({ connectionString: url }); await c.connect();
await c.query('DROP SCHEMA IF EXISTS pgs_micro CASCADE; CREATE SCHEMA pgs_micro');
await c.query(`CREATE TABLE pgs_micro.ev (writer_id text NOT NULL, epoch int NOT NULL, seq bigint NOT NULL, ts timestamptz NOT NULL, kind text NOT NULL, decision_id uuid, prev char(64) NOT NULL, hash char(64) NOT NULL, body text NOT NULL, PRIMARY KEY (writer_id, epoch, seq));
CREATE INDEX ON pgs_micro.ev (ts); CREATE INDEX ON pgs_micro.ev (decision_id) WHERE decision_id IS NOT NULL;`);
const body = JSON.stringify({ x: randomBytes(500).toString('hex'), "q": "a\"b\\n" });
let seq = 0;
function rows(n: number) { return Array.from({ length: n }, () => { const s = seq++; return [s, new Date().toISOString(), 'decision', crypto.randomUUID(), createHash('sha256').update(String(s)).digest('hex'), createHash('sha256').update(String(s+1)).digest('hex'), body] as const; }); }
async function unnest(n: number) {
  const r = rows(n); const cols: unknown[][] = [[],[],[],[],[],[],[]];
  for (const row of r) row.forEach((v, i) => cols[i]!.push(v));
  await c.query({ text: `INSERT INTO pgs_micro.ev (writer_id, epoch, seq, ts, kind, decision_id, prev, hash, body) SELECT 'w', 1, u.* FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[]) AS u`, values: cols });
}
async function copy(n: number) {
  const r = rows(n);
  let text = '';
  for (const row of r) text += `w\t1\t${row[0]}\t${row[1]}\t${row[2]}\t${row[3]}\t${row[4]}\t${row[5]}\t${row[6].replace(/\\/g, '\\\\')}\n`;
  await new Promise<void>((resolve, reject) => {
    const s = c.query(copyFrom('COPY pgs_micro.ev (writer_id, epoch, seq, ts, kind, decision_id, prev, hash, body) FROM STDIN'));
    s.on('error', reject); s.on('finish', () => resolve());
    s.end(text);
  });
}
for (const sc of ['off', 'on']) {
  await c.query(`SET synchronous_commit = ${sc}`);
  for (const [name, f] of [['unnest', unnest], ['copy', copy]] as const) {
    for (const n of [64, 256, 512]) {
      const t = performance.now(); let k = 0;
      while (performance.now() - t < 1500) { await f(n); k++; }
      const ms = (performance.now() - t) / k;
      console.log(`sc=${sc} ${name} n=${n}: ${ms.toFixed(2)} ms/insert, ${(n / ms * 1000).toFixed(0)} rows/s`);
    }
  }
}
console.log((await c.query('select count(*) from pgs_micro.ev')).rows);
await c.query('DROP SCHEMA pgs_micro CASCADE'); await c.end();
