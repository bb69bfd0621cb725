// A fast fake OpenAI upstream for the gateway benchmark, on 127.0.0.1 (port printed on stdout):
// POST /v1/chat/completions answers JSON, or SSE (`data: {chunk}\n\n` … `data: [DONE]`) with one
// 8-character piece every PACE_MS milliseconds (0: all at once).
import { createServer } from 'node:http';

const ANSWER = process.env.ANSWER ?? 'The garden behind the old library has a row of apple trees. Every autumn the students gather the fruit and press it into juice for the winter market. A narrow path of grey stones leads from the gate to a bench.';
const PACE_MS = Number(process.env.PACE_MS ?? 0);
const created = Math.floor(Date.now() / 1000);
let n = 0;
// When each piece of the latest stream was written: [characters sent so far, epoch ms], so a
// client can tell how long after the upstream sent text it received it (GET /last-times).
let lastTimes = [];
const now = () => performance.timeOrigin + performance.now();

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/last-times') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(lastTimes));
    req.resume();
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"bad json","type":"invalid_request_error","param":null,"code":null}}');
      return;
    }
    const id = `chatcmpl-bench${++n}`;
    const model = body.model ?? 'gpt-4o-mini';
    if (body.stream !== true) {
      const out = JSON.stringify({ id, object: 'chat.completion', created, model, choices: [{ index: 0, message: { role: 'assistant', content: ANSWER, refusal: null }, logprobs: null, finish_reason: 'stop' }], usage: { prompt_tokens: 200, completion_tokens: 40, total_tokens: 240 } });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) }).end(out);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    const chunk = (delta, finish = null) => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
    const pieces = ANSWER.match(/[\s\S]{1,8}/g);
    res.write(chunk({ role: 'assistant', content: '' }));
    let i = 0;
    let sent = 0;
    const times = [];
    lastTimes = times;
    const next = () => {
      if (res.destroyed) return;
      if (i < pieces.length) {
        res.write(chunk({ content: pieces[i] }));
        sent += pieces[i++].length;
        times.push([sent, now()]);
        if (PACE_MS > 0) setTimeout(next, PACE_MS);
        else next();
        return;
      }
      res.end(chunk({}, 'stop') + 'data: [DONE]\n\n');
    };
    next();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`port ${server.address().port}`));
