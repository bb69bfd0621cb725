import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import { timingSafeEqual } from 'node:crypto';
import { checkpointHashProblem, checkpointSignatureValid, isCheckpointShape } from './audit-checkpoint.js';
import { auditKeyId } from './audit-signing-keys.js';
import { witnessRefusal, type CheckpointWitness } from './checkpoint-witness.js';

export interface WitnessHttpHandlerOptions {
  /** Accept only checkpoints signed by these keys (the log owner's public keys). */
  keys?: KeyObject[];
  /** Require `authorization: Bearer TOKEN` on POST. */
  token?: string;
}

const MAX_BODY_BYTES = 64 * 1024;

/**
 * The server side of an HTTP witness, for `node:http` (`createServer(createWitnessHttpHandler(w))`):
 * `POST /` stores a checkpoint, `GET /` answers the newest per checkpointer. A checkpoint older
 * than the newest held for its checkpointer is refused (409): a witness only moves forward, so a
 * log that was rolled back cannot be matched by rolling the witness back too.
 */
export function createWitnessHttpHandler(witness: CheckpointWitness, options: WitnessHttpHandlerOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const keyIds = new Map((options.keys ?? []).map((k) => [auditKeyId(k), k]));
  let queue: Promise<unknown> = Promise.resolve();

  async function post(req: IncomingMessage): Promise<[number, unknown]> {
    if (options.token !== undefined && !bearerMatches(req.headers.authorization, options.token)) return [401, { error: 'a valid bearer token is required' }];
    const body = await readBody(req);
    if (body === undefined) return [413, { error: `the body exceeds ${MAX_BODY_BYTES} bytes` }];
    let cp: unknown;
    try {
      cp = JSON.parse(body);
    } catch {
      return [400, { error: 'the body is not JSON' }];
    }
    if (!isCheckpointShape(cp) || checkpointHashProblem(cp)) return [400, { error: 'the body is not an intact checkpoint' }];
    if (keyIds.size > 0) {
      const key = keyIds.get(cp.keyId);
      if (!key || !checkpointSignatureValid(cp, key)) return [403, { error: `the checkpoint is not signed by an accepted key (key id \`${cp.keyId}\`)` }];
    }
    // One at a time, so two posts cannot both pass the order check.
    const run = queue.then(async (): Promise<[number, unknown]> => {
      const newest = (await witness.latest()).find((c) => c.checkpointer === cp.checkpointer);
      const refusal = witnessRefusal(cp, newest, 'here');
      if (refusal === 'held') return [200, { ok: true }];
      if (refusal !== undefined) return [409, { error: refusal }];
      await witness.publish(cp);
      return [201, { ok: true }];
    });
    queue = run.catch(() => undefined);
    return run;
  }

  return (req, res) => {
    const answer = (status: number, value: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const work: Promise<[number, unknown]> =
      req.method === 'POST' ? post(req) : req.method === 'GET' ? witness.latest().then((checkpoints) => [200, { checkpoints }]) : Promise.resolve([405, { error: 'use GET or POST' }]);
    work.then(
      ([status, value]) => answer(status, value),
      (err: unknown) => answer(500, { error: (err as Error).message }),
    );
  };
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
