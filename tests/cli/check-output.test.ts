import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'saferoute-check-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const LINES = 200;
const inputs = join(dir, 'inputs.jsonl');
writeFileSync(inputs, Array.from({ length: LINES }, (_, i) => JSON.stringify({ text: `question number ${i} about the weather` })).join('\n') + '\n');

/** A stdout that takes one chunk at a time, slowly; after `keep` chunks its reader goes away (EPIPE), if set. */
function slowPipe(keep = Infinity): { stream: Writable; chunks: string[]; maxBuffered: () => number } {
  const chunks: string[] = [];
  let maxBuffered = 0;
  const stream: Writable = new Writable({
    highWaterMark: 64,
    write(chunk: Buffer, _enc, cb) {
      maxBuffered = Math.max(maxBuffered, stream.writableLength);
      if (chunks.length >= keep) return cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      chunks.push(chunk.toString());
      setTimeout(cb, 1);
    },
  });
  return { stream, chunks, maxBuffered: () => maxBuffered };
}

async function check(stdout: Writable): Promise<{ code: number; err: string }> {
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli(['check', '--json', '--file', inputs], { stdout, stderr, cwd: dir, env: {} });
  return { code, err };
}

describe('saferoute check --file writing to a slow or closed stdout', () => {
  it('waits for a slow reader instead of buffering every line, and delivers them all in order', async () => {
    const out = slowPipe();
    const r = await check(out.stream);
    expect(r.code).toBe(0);
    const lines = out.chunks.join('').trim().split('\n');
    expect(lines).toHaveLength(LINES);
    expect(lines.map((l) => (JSON.parse(l) as { input: string }).input)).toEqual(Array.from({ length: LINES }, (_, i) => `question number ${i} about the weather`));
    // One decision line is a few hundred bytes: never more than a couple were queued at once.
    expect(out.maxBuffered()).toBeLessThan(4096);
  });

  it('stops quietly with exit 0 when the reader goes away (`| head -1`)', async () => {
    const out = slowPipe(1);
    const r = await check(out.stream);
    expect(r.code).toBe(0);
    expect(r.err).not.toMatch(/EPIPE|internal error|at /);
    expect(out.chunks).toHaveLength(1);
  });
});
