/**
 * Latency the guard adds to a model call, side by side with calling the same fake upstream
 * directly through the same OpenAI client (so HTTP, JSON and SDK costs cancel out):
 * - non-streaming: p50 / p99 of `client.chat.completions.create` vs `guard.chat()` (~1 KB prompt);
 * - streaming: time to first token, direct vs guarded, with the time the direct stream took to
 *   fill the hold-back window (the guarded stream cannot release before that).
 * Classifiers: the embedded ones when their model is present, else lexicon + PII (printed).
 *
 *   npx tsx bench/guard.bench.ts            (RUNS, N, STREAM_N environment variables override)
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import OpenAI from 'openai';
import { createGuard } from '../src/guard/index.js';
import { createOpenAIProvider, type ChatProvider, type ProviderStreamEvent } from '../src/providers/index.js';
import { loadPolicyOrThrow } from '../src/policy/load-policy.js';
import { shippedPolicyPath } from '../src/policy/shipped-policies.js';
import { createClassifierRegistry, defaultClassifierFactories } from '../src/classifiers/registry.js';
import { startFakeOpenAIChatServer } from '../tests/support/fake-chat-upstreams.js';

const RUNS = Number(process.env.RUNS ?? 5);
const N = Number(process.env.N ?? 1000);
const STREAM_N = Number(process.env.STREAM_N ?? 30);
const WARMUP = 300;

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
const ANSWER = SENTENCES.slice(0, 3).join(' ');
const STREAM_ANSWER = SENTENCES.slice(0, 9).join(' ');

/**
 * Wraps a provider to note when a stream's text first exceeded `chars`: the earliest moment the
 * guard may release anything, measured on the very stream the caller reads.
 */
function withFillProbe(provider: ChatProvider, chars: number): { provider: ChatProvider; filledAt(): number } {
  let filledAt = -1;
  return {
    filledAt: () => filledAt,
    provider: {
      name: provider.name,
      complete: (request, options) => provider.complete(request, options),
      async stream(request, options) {
        const upstream = await provider.stream(request, options);
        filledAt = -1;
        let length = 0;
        async function* probed(): AsyncGenerator<ProviderStreamEvent> {
          for await (const event of upstream) {
            if (event.type === 'delta') {
              length += event.text.length;
              if (filledAt < 0 && length > chars) filledAt = performance.now();
            }
            yield event;
          }
        }
        const iterator = probed();
        return { [Symbol.asyncIterator]: () => iterator, abort: () => upstream.abort() };
      },
    },
  };
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}
const median = (xs: number[]): number => quantile([...xs].sort((a, b) => a - b), 0.5);
const ms = (x: number): string => `${x.toFixed(3)} ms`;

async function main(): Promise<void> {
  const server = await startFakeOpenAIChatServer({ apiKey: 'sk-bench' });
  try {
    await bench(server);
  } finally {
    await server.close();
  }
}

async function bench(server: Awaited<ReturnType<typeof startFakeOpenAIChatServer>>): Promise<void> {
  const registry = createClassifierRegistry(defaultClassifierFactories({}));
  let classifierNames = ['embedded'];
  try {
    registry.get('embedded');
  } catch (error) {
    classifierNames = ['lexicon', 'pii'];
    console.log(`embedded classifiers unavailable (${(error as Error).message.split('\n')[0]}); using lexicon + pii`);
  }
  const loaded = await loadPolicyOrThrow(shippedPolicyPath('default'));
  const policy = { ...loaded, document: { ...loaded.document, classifiers: { input: classifierNames, output: classifierNames } } };
  const client = new OpenAI({ apiKey: 'sk-bench', baseURL: server.baseURL, maxRetries: 0 });
  const H = policy.document.output.streaming.holdBackChars;
  const probe = withFillProbe(createOpenAIProvider({ client }), H);
  const guard = await createGuard({ policy, classifiers: registry, providers: { sfw: probe.provider }, env: {} });
  const request = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: PROMPT }] };

  server.setScript({ text: ANSWER });
  const check = await guard.chat(request);
  if (check.saferoute.blocked || check.saferoute.target !== 'sfw' || check.choices[0]?.message.content !== ANSWER) {
    throw new Error(`the benchmark prompt must be routed to sfw unchanged: ${JSON.stringify({ ...check.saferoute, decisions: undefined, content: check.choices[0]?.message })}`);
  }

  console.log(`guard benchmark: classifiers ${classifierNames.join(' + ')}, prompt ${PROMPT.length} chars, answer ${ANSWER.length} chars, ${RUNS} runs`);
  console.log(`policy ${policy.id}@${policy.revision}: hold-back ${H} chars, check every ${policy.document.output.streaming.checkEveryChars}`);
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);

  // Non-streaming: direct and guarded calls interleaved so both see the same machine state.
  for (let i = 0; i < WARMUP; i++) {
    await client.chat.completions.create(request);
    await guard.chat(request);
  }
  const rows: { direct50: number; direct99: number; guard50: number; guard99: number; paired50: number }[] = [];
  for (let run = 0; run < RUNS; run++) {
    // The fake keeps every request it answered; a log growing through the run would charge
    // garbage-collection work to whichever side allocates more. Both sides share the same fake.
    server.reset();
    const direct: number[] = [];
    const guarded: number[] = [];
    const paired: number[] = [];
    for (let i = 0; i < N; i++) {
      let d = 0;
      let g = 0;
      for (const which of i % 2 === 0 ? ['d', 'g'] : ['g', 'd']) {
        const t = performance.now();
        if (which === 'd') await client.chat.completions.create(request);
        else await guard.chat(request);
        if (which === 'd') d = performance.now() - t;
        else g = performance.now() - t;
      }
      direct.push(d);
      guarded.push(g);
      paired.push(g - d);
    }
    direct.sort((a, b) => a - b);
    guarded.sort((a, b) => a - b);
    rows.push({ direct50: quantile(direct, 0.5), direct99: quantile(direct, 0.99), guard50: quantile(guarded, 0.5), guard99: quantile(guarded, 0.99), paired50: median(paired) });
  }
  const d50 = median(rows.map((r) => r.direct50));
  const g50 = median(rows.map((r) => r.guard50));
  const d99 = median(rows.map((r) => r.direct99));
  const g99 = median(rows.map((r) => r.guard99));
  const added = median(rows.map((r) => r.paired50));
  console.log(`non-streaming, ${N} calls of each per run, interleaved (medians over runs)`);
  console.log(`                 direct        guard.chat()  added`);
  console.log(`  p50            ${ms(d50).padEnd(13)} ${ms(g50).padEnd(13)} ${ms(g50 - d50)}`);
  console.log(`  p99            ${ms(d99).padEnd(13)} ${ms(g99).padEnd(13)} ${ms(g99 - d99)}`);
  console.log(`  median of paired differences (guarded − direct, back to back): ${ms(added)}   target < 1 ms: ${added < 1 ? 'met' : 'NOT met'}`);

  // The guard's own work, without the network: the same pipeline over an in-memory provider.
  const memory = await createGuard({
    policy,
    classifiers: registry,
    env: {},
    providers: { sfw: { name: 'memory', complete: async () => ({ model: 'm', text: ANSWER, toolCalls: [], finishReason: 'stop' }), stream: async () => Promise.reject(new Error('unused')) } },
  });
  for (let i = 0; i < WARMUP; i++) await memory.chat(request);
  const own: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const xs: number[] = [];
    for (let i = 0; i < N; i++) {
      const t = performance.now();
      await memory.chat(request);
      xs.push(performance.now() - t);
    }
    own.push(median(xs));
  }
  console.log(`  guard pipeline alone (in-memory provider: validate, classify in and out, decide twice): p50 ${ms(median(own))}`);

  // Streaming: the upstream sends 8-character pieces 1 ms apart.
  server.setScript({ text: STREAM_ANSWER, delayMs: 1 });
  const streamRuns: { direct: number; fill: number; guarded: number; sameStream: number }[] = [];
  for (let run = 0; run < RUNS; run++) {
    const direct: number[] = [];
    const fill: number[] = [];
    const guarded: number[] = [];
    const sameStream: number[] = [];
    for (let i = 0; i < STREAM_N; i++) {
      let t = performance.now();
      let first = -1;
      let filled = -1;
      let length = 0;
      const s = await client.chat.completions.create({ ...request, stream: true });
      for await (const c of s) {
        const text = c.choices[0]?.delta.content ?? '';
        if (text === '') continue;
        length += text.length;
        if (first < 0) first = performance.now() - t;
        if (filled < 0 && length > H) filled = performance.now() - t;
      }
      direct.push(first);
      fill.push(filled);
      t = performance.now();
      first = -1;
      let text = '';
      let firstAt = -1;
      for await (const c of await guard.chat({ ...request, stream: true })) {
        const piece = c.choices[0]?.delta.content ?? '';
        if (piece !== '' && first < 0) {
          firstAt = performance.now();
          first = firstAt - t;
        }
        text += piece;
      }
      if (text !== STREAM_ANSWER) throw new Error('the guarded stream changed the answer');
      guarded.push(first);
      sameStream.push(firstAt - probe.filledAt());
    }
    streamRuns.push({ direct: median(direct), fill: median(fill), guarded: median(guarded), sameStream: median(sameStream) });
  }
  const sd = median(streamRuns.map((r) => r.direct));
  const sf = median(streamRuns.map((r) => r.fill));
  const sg = median(streamRuns.map((r) => r.guarded));
  const same = median(streamRuns.map((r) => r.sameStream));
  console.log(`\nstreaming time to first token, ${STREAM_N} streams per run, ${STREAM_ANSWER.length} chars in 8-char pieces 1 ms apart (medians over runs)`);
  console.log(`  direct TTFT                         ${ms(sd)}`);
  console.log(`  direct: time to fill ${H} chars      ${ms(sf)}`);
  console.log(`  guarded TTFT                        ${ms(sg)}`);
  console.log(`  added TTFT                          ${ms(sg - sd)}   budget (fill − direct TTFT + 1 ms) ${ms(sf - sd + 1)}: ${sg - sd <= sf - sd + 1 ? 'met' : 'NOT met'}`);
  console.log(`  same stream: upstream passed ${H} chars → caller got the first token: ${ms(same)}   target ≤ 1 ms: ${same <= 1 ? 'met' : 'NOT met'}`);
  console.log(`\nload average at end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
