/**
 * What the gateway costs, side by side in one run with the same fake OpenAI upstream on loopback:
 * - `direct`: the client calls the upstream itself (the baseline every figure is relative to);
 * - `node-proxy`: a bare Node `http` reverse proxy that only pipes bytes (the floor for any gateway);
 * - `portkey`: the Portkey AI gateway OSS (`@portkey-ai/gateway`), passthrough to the same upstream;
 * - `saferoute`: `saferoute serve` (the built CLI) with the shipped default policy, embedded classifiers on the
 *   input and the output, an API key (audit off: the audit sinks have their own benchmark);
 * - `saferoute-2w`: the same with `--workers 2` (two processes on one port, as a deployment on a
 *   2-core machine would run it); the other gateways here are one process each.
 * Each runs in its own process, all on 127.0.0.1; the load generator is this process. Rounds are
 * interleaved (contender by contender, round by round) and every figure is the median of RUNS rounds:
 * - added latency p50 at concurrency 1 (1 KB prompt): p50(contender) − p50(direct) in the same round;
 * - requests/s at concurrency 32, non-streaming, for DURATION_S seconds;
 * - streaming time to first token (upstream paced one 8-character piece per PACE_MS), and for
 *   saferoute the time the upstream took to fill the hold-back window it must wait for.
 *
 *   nice npm run bench:gateway        (RUNS, N, DURATION_S, STREAM_N, PACE_MS, WARMUP_S override)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { hashApiKey } from '../src/gateway/api-keys.js';
import { shippedPolicyPath } from '../src/policy/shipped-policies.js';

const RUNS = Number(process.env.RUNS ?? 5);
const N = Number(process.env.N ?? 400);
const DURATION_S = Number(process.env.DURATION_S ?? 3);
const STREAM_N = Number(process.env.STREAM_N ?? 20);
const PACE_MS = Number(process.env.PACE_MS ?? 1);
const WARMUP_S = Number(process.env.WARMUP_S ?? 6);
const CONCURRENCY = 32;
const KEY = 'sr_bench_key_0123456789abcdefghijklmnopqrstuv';
const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

const SENTENCES = [
  'The garden behind the old library has a row of apple trees that were planted many years ago.',
  'Every autumn the students gather the fruit and press it into juice for the winter market.',
  'A narrow path of grey stones leads from the gate to a small wooden bench under the oldest tree.',
  'Visitors often sit there in the afternoon to read, talk quietly or simply watch the birds.',
  'The gardener keeps a notebook of the weather, the first blossoms and the size of each harvest.',
  'In spring the beds along the wall are full of tulips, and in summer the roses take their place.',
  'On rainy days the greenhouse is the warmest room on the grounds, smelling of soil and tomatoes.',
  'Local schools bring classes to learn how seeds grow and why bees matter so much to the orchard.',
  'A wide wooden table near the greenhouse holds seed trays, gloves and a kettle for the volunteers.',
  'The path then bends toward a small pond where frogs sing on warm evenings late in the season.',
  'Near the pond a stone sundial still keeps good time on clear days, to the delight of the children.',
  'Many people say that an hour in the garden is the best way to end a long week of study and work.',
];
const PROMPT = `Please summarise this description in two sentences. ${SENTENCES.join(' ')}`.slice(0, 1024);

interface Contender {
  name: string;
  /** The processes serving it (their CPU time is read from /proc), none for `direct`. */
  pids?: () => number[];
  port: number;
  path: string;
  headers: Record<string, string>;
}

function startChild(label: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start:\n${err}`)), 60_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, port: Number(m[1]) });
      }
    });
    proc.on('exit', (code) => reject(new Error(`${label} exited with ${code}:\n${err}`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

let agent = new Agent({ keepAlive: true, maxSockets: 128 });
/**
 * A fresh connection pool for each phase: a socket left idle while the other contenders ran may
 * be closed by its server (keep-alive timeout) just as it is reused, which is a reset, not a cost.
 */
function renewAgent(): void {
  agent.destroy();
  agent = new Agent({ keepAlive: true, maxSockets: 128 });
}

function post(c: Contender, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: c.port, path: c.path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...c.headers } }, (res) => {
      res.on('error', reject);
      res.on('data', () => undefined);
      res.on('end', () => (res.statusCode === 200 ? resolve(res.statusCode) : reject(new Error(`${c.name}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Milliseconds to the first chunk carrying answer text, that chunk's text, and when it came (epoch ms). */
function firstToken(c: Contender, body: string): Promise<{ ms: number; first: string; at: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let buffer = '';
    let done = false;
    const req = request({ host: '127.0.0.1', port: c.port, path: c.path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...c.headers } }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`${c.name}: HTTP ${res.statusCode}`));
      res.on('error', (e) => (done ? undefined : reject(e)));
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        if (done) return;
        buffer += d;
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          if (!event.startsWith('data: {')) continue;
          const content = (JSON.parse(event.slice(6)) as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta?.content;
          if (content) {
            done = true;
            resolve({ ms: performance.now() - start, first: content, at: performance.timeOrigin + performance.now() });
            return;
          }
        }
      });
      res.on('end', () => (done ? undefined : reject(new Error(`${c.name}: the stream carried no text`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Milliseconds until a direct stream has delivered `chars` characters of text. */
function timeToChars(c: Contender, body: string, chars: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let buffer = '';
    let seen = 0;
    let done = false;
    const req = request({ host: '127.0.0.1', port: c.port, path: c.path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...c.headers } }, (res) => {
      res.setEncoding('utf8');
      res.on('error', (e) => (done ? undefined : reject(e)));
      res.on('data', (d: string) => {
        buffer += d;
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          if (!event.startsWith('data: {')) continue;
          seen += (JSON.parse(event.slice(6)) as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta?.content?.length ?? 0;
          if (!done && seen >= chars) {
            done = true;
            resolve(performance.now() - start);
          }
        }
      });
      res.on('end', () => (done ? undefined : resolve(performance.now() - start)));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** User + system CPU milliseconds processes have used (Linux /proc; undefined elsewhere). */
function cpuMs(pids: number[] | undefined): number | undefined {
  if (pids == null || pids.length === 0) return undefined;
  try {
    let total = 0;
    for (const pid of pids) {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      total += ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    }
    return total;
  } catch {
    return undefined;
  }
}

/** A process and the node processes it forked (a gateway's primary and its workers). */
function processTree(pid: number): number[] {
  const children = readdirSync('/proc').filter((d) => {
    if (!/^\d+$/.test(d)) return false;
    try {
      return Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === pid;
    } catch {
      return false;
    }
  });
  return [pid, ...children.map(Number)];
}

/** When the upstream's latest stream had sent `chars` characters (epoch ms, from the upstream itself). */
async function upstreamSentAt(port: number, chars: number): Promise<number | undefined> {
  const res = await fetch(`http://127.0.0.1:${port}/last-times`);
  const times = (await res.json()) as [number, number][];
  return times.find(([sent]) => sent >= chars)?.[1];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};

async function latencyP50(c: Contender, body: string, n: number): Promise<number> {
  renewAgent();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await post(c, body);
    times.push(performance.now() - t);
  }
  return percentile(times, 0.5);
}

/** Requests per second, and the serving process's CPU milliseconds per request (a figure the machine's other load barely moves). */
async function throughput(c: Contender, body: string, seconds: number): Promise<{ rps: number; cpuPerRequest?: number }> {
  renewAgent();
  let count = 0;
  const pids = c.pids?.();
  const cpuBefore = cpuMs(pids);
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        await post(c, body);
        count++;
      }
    }),
  );
  const cpuAfter = cpuMs(pids);
  const rps = count / ((performance.now() - start) / 1000);
  return cpuBefore != null && cpuAfter != null ? { rps, cpuPerRequest: (cpuAfter - cpuBefore) / count } : { rps };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'saferoute-gw-bench-'));
  const children: ChildProcess[] = [];
  try {
    const upstream = await startChild('fake upstream', [here('./gateway/fake-upstream.mjs')], { PACE_MS: String(PACE_MS) }, /port (\d+)/);
    children.push(upstream.proc);
    const upstreamURL = `http://127.0.0.1:${upstream.port}/v1`;
    const proxy = await startChild('node proxy', [here('./gateway/bare-proxy.mjs')], { UPSTREAM_PORT: String(upstream.port) }, /port (\d+)/);
    children.push(proxy.proc);

    const policy = JSON.parse(await readFile(shippedPolicyPath('default'), 'utf8')) as { targets: Record<string, Record<string, unknown>>; output: { streaming: { holdBackChars: number } }; $schema?: string };
    delete policy.$schema;
    policy.targets.sfw = { ...policy.targets.sfw, baseURL: upstreamURL, apiKeyEnv: 'BENCH_UPSTREAM_KEY' };
    await writeFile(join(dir, 'policy.json'), JSON.stringify(policy));
    await writeFile(
      join(dir, 'saferoute.config.json'),
      JSON.stringify({ listen: { host: '127.0.0.1', port: 0 }, tenants: [{ id: 'bench', policy: 'policy.json', apiKeys: [{ id: 'bench', sha256: hashApiKey(KEY) }] }], audit: { disabled: true }, limits: { maxConcurrentStreamsPerKey: 256 } }),
    );
    // The built CLI, as `npx saferoute serve` runs it (`npm run bench:gateway` builds it first).
    const saferoute = await startChild('saferoute serve', [here('../dist/cli/main.js'), 'serve', '--config', join(dir, 'saferoute.config.json')], { BENCH_UPSTREAM_KEY: 'sk-bench' }, /listening on http:\/\/127\.0\.0\.1:(\d+)/);
    children.push(saferoute.proc);
    const saferoute2 = await startChild('saferoute serve --workers 2', [here('../dist/cli/main.js'), 'serve', '--config', join(dir, 'saferoute.config.json'), '--workers', '2'], { BENCH_UPSTREAM_KEY: 'sk-bench' }, /listening on http:\/\/127\.0\.0\.1:(\d+)/);
    children.push(saferoute2.proc);
    // Portkey takes a fixed `--port=N` (not 0): ask the system for a free one first.
    const portkey = await startChild('portkey', ['--import', here('./loopback-only.mjs'), here('../node_modules/@portkey-ai/gateway/build/start-server.js'), `--port=${await freePort()}`, '--headless'], {}, /localhost:(\d+)/);
    children.push(portkey.proc);

    const auth = { authorization: 'Bearer sk-bench' };
    const contenders: Contender[] = [
      { name: 'direct', port: upstream.port, path: '/v1/chat/completions', headers: auth },
      { name: 'node-proxy', pids: () => [proxy.proc.pid!], port: proxy.port, path: '/v1/chat/completions', headers: auth },
      { name: 'portkey', pids: () => [portkey.proc.pid!], port: portkey.port, path: '/v1/chat/completions', headers: { 'x-portkey-config': JSON.stringify({ provider: 'openai', api_key: 'sk-bench', custom_host: upstreamURL }) } },
      { name: 'saferoute', pids: () => [saferoute.proc.pid!], port: saferoute.port, path: '/v1/chat/completions', headers: { authorization: `Bearer ${KEY}` } },
      { name: 'saferoute-2w', pids: () => processTree(saferoute2.proc.pid!), port: saferoute2.port, path: '/v1/chat/completions', headers: { authorization: `Bearer ${KEY}` } },
    ];
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: PROMPT }] });
    const streamBody = JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: PROMPT }] });
    const holdBack = policy.output.streaming.holdBackChars;

    console.log(`gateway benchmark: ${RUNS} rounds; c=1 ${N} requests, c=${CONCURRENCY} for ${DURATION_S}s, ${STREAM_N} streams (upstream piece every ${PACE_MS} ms); prompt ${Buffer.byteLength(PROMPT)} bytes`);
    console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at start`);
    // Warm-up (JIT, model, sockets): seconds of load each; each worker of saferoute-2w sees half of it, and
    // V8 optimises a whole gateway's code path only after thousands of requests.
    for (const c of contenders) await throughput(c, body, WARMUP_S);

    const added: Record<string, number[]> = {};
    const p50s: Record<string, number[]> = {};
    const rps: Record<string, number[]> = {};
    const ttft: Record<string, number[]> = {};
    const cpu: Record<string, number[]> = {};
    const fill: number[] = [];
    const sameStreamLag: number[] = [];
    for (let round = 0; round < RUNS; round++) {
      const base = await latencyP50(contenders[0]!, body, N);
      (p50s.direct ??= []).push(base);
      for (const c of contenders.slice(1)) {
        const p = await latencyP50(c, body, N);
        (p50s[c.name] ??= []).push(p);
        (added[c.name] ??= []).push(p - base);
      }
      for (const c of contenders) {
        const t = await throughput(c, body, DURATION_S);
        (rps[c.name] ??= []).push(t.rps);
        if (t.cpuPerRequest != null) (cpu[c.name] ??= []).push(t.cpuPerRequest);
      }
      for (const c of contenders) {
        renewAgent();
        const times: number[] = [];
        for (let i = 0; i < STREAM_N; i++) {
          const t = await firstToken(c, streamBody);
          times.push(t.ms);
          if (c.name === 'saferoute') {
            if (i === 0) fill.push(await timeToChars(contenders[0]!, streamBody, t.first.length + holdBack));
            // The same stream: from the upstream having sent the first release plus the hold-back to the caller having it.
            const sentAt = await upstreamSentAt(contenders[0]!.port, t.first.length + holdBack);
            if (sentAt != null) sameStreamLag.push(t.at - sentAt);
          }
        }
        (ttft[c.name] ??= []).push(median(times));
      }
      console.log(`round ${round + 1}: ` + contenders.map((c) => `${c.name} p50 ${p50s[c.name]!.at(-1)!.toFixed(3)} ms, ${rps[c.name]!.at(-1)!.toFixed(0)} req/s, ttft ${ttft[c.name]!.at(-1)!.toFixed(2)} ms`).join(' | '));
    }

    const rows = contenders.map((c) => ({
      contender: c.name,
      'p50 c=1 (ms)': median(p50s[c.name]!).toFixed(3),
      'added p50 vs direct (ms)': c.name === 'direct' ? '–' : median(added[c.name]!).toFixed(3),
      'req/s c=32': median(rps[c.name]!).toFixed(0),
      'req/s vs direct': (median(rps[c.name]!) / median(rps.direct!)).toFixed(2),
      'CPU ms/request (c=32)': cpu[c.name] ? median(cpu[c.name]!).toFixed(3) : '–',
      'stream TTFT (ms)': median(ttft[c.name]!).toFixed(2),
    }));
    console.log('\nmedians of the rounds:');
    console.table(rows);
    const sr = (name: string): number => median(rps[name]!);
    console.log(`saferoute added latency p50 at c=1: ${median(added.saferoute!).toFixed(3)} ms (target ≤ 0.5 ms); node-proxy ${median(added['node-proxy']!).toFixed(3)} ms; portkey ${median(added.portkey!).toFixed(3)} ms`);
    console.log(`saferoute req/s at c=32: ${sr('saferoute').toFixed(0)} (target ≥ 5000) = ${(sr('saferoute') / sr('node-proxy')).toFixed(2)}× node-proxy, ${(sr('saferoute') / sr('portkey')).toFixed(2)}× portkey`);
    console.log(`saferoute --workers 2 req/s at c=32: ${sr('saferoute-2w').toFixed(0)} (target ≥ 5000) = ${(sr('saferoute-2w') / sr('node-proxy')).toFixed(2)}× node-proxy (one process), ${(sr('saferoute-2w') / sr('portkey')).toFixed(2)}× portkey (one process); added p50 at c=1 ${median(added['saferoute-2w']!).toFixed(3)} ms`);
    if (cpu.saferoute && cpu['node-proxy'] && cpu.portkey) {
      const per = median(cpu.saferoute);
      console.log(`gateway CPU per request: saferoute ${per.toFixed(3)} ms (≈ ${(1000 / per).toFixed(0)} req/s per fully available core), node-proxy ${median(cpu['node-proxy']).toFixed(3)} ms, portkey ${median(cpu.portkey).toFixed(3)} ms`);
    }
    console.log(`saferoute streaming TTFT ${median(ttft.saferoute!).toFixed(2)} ms; the upstream took ${median(fill).toFixed(2)} ms to send the first release plus the ${holdBack}-character hold-back (target: TTFT ≤ that + 1 ms); direct TTFT ${median(ttft.direct!).toFixed(2)} ms`);
    if (sameStreamLag.length > 0) console.log(`same stream: the upstream had sent the first release + ${holdBack} characters → the caller got its first token: median ${median(sameStreamLag).toFixed(2)} ms over ${sameStreamLag.length} streams (target ≤ 1 ms)`);
    console.log(`load average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (the machine is shared: compare ratios, not absolute times)`);
  } finally {
    for (const c of children) c.kill('SIGKILL');
    agent.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
