import type { AuditCheckpoint } from './audit-checkpoint.js';
import { checkpointHashProblem, checkpointLine, isCheckpointShape } from './audit-checkpoint.js';
import { AuditConfigError, AuditError } from './audit-error.js';
import { newestPerCheckpointer, type CheckpointWitness } from './checkpoint-witness.js';
import { redactUrl } from './redact-url.js';

export interface HttpCheckpointWitnessOptions {
  /** `POST url` stores a checkpoint (JSON body); `GET url` answers `{ "checkpoints": [...] }`, the newest per checkpointer. */
  url: string;
  /** Sent with every request (e.g. `authorization`). Credentials in the URL become basic auth. */
  headers?: Record<string, string>;
  /** Per request; default 10 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** A witness another party runs behind HTTP (see `createWitnessHttpHandler` for the server side). */
export function createHttpCheckpointWitness(options: HttpCheckpointWitnessOptions): CheckpointWitness {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch (err) {
    throw new AuditConfigError(`the checkpoint witness URL \`${options.url}\` is not a URL`, { cause: err });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AuditConfigError(`the checkpoint witness URL \`${redactUrl(options.url, options.url)}\` must be http(s)`);
  const headers: Record<string, string> = { ...options.headers };
  if (url.username || url.password) {
    headers['authorization'] ??= `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  const target = url.toString();
  const location = redactUrl(options.url, target);
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function request(method: 'GET' | 'POST', body?: string): Promise<{ status: number; text: string }> {
    let res: Response;
    try {
      res = await doFetch(target, {
        method,
        headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { body } : {}),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      throw new AuditError(`the checkpoint witness \`${location}\` cannot be reached: ${(err as Error).message}`, { cause: err });
    }
    const text = await res.text();
    if (text.length > MAX_ANSWER_BYTES) throw new AuditError(`the checkpoint witness \`${location}\` answered more than ${MAX_ANSWER_BYTES} bytes`);
    return { status: res.status, text };
  }

  return {
    kind: 'http',
    location,
    async publish(checkpoint: AuditCheckpoint) {
      const { status, text } = await request('POST', checkpointLine(checkpoint));
      if (status >= 200 && status < 300) return;
      throw new AuditError(
        `the checkpoint witness \`${location}\` refused checkpoint ${checkpoint.checkpointer}/${checkpoint.epoch}#${checkpoint.n}: HTTP ${status}${text ? ` ${text.slice(0, 200)}` : ''}`,
      );
    },
    async latest() {
      const { status, text } = await request('GET');
      if (status !== 200) throw new AuditError(`the checkpoint witness \`${location}\` answered HTTP ${status} to GET${text ? `: ${text.slice(0, 200)}` : ''}`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        throw new AuditError(`the checkpoint witness \`${location}\` did not answer JSON`, { cause: err });
      }
      const list = (parsed as { checkpoints?: unknown } | null)?.checkpoints;
      if (!Array.isArray(list)) throw new AuditError(`the checkpoint witness \`${location}\` answered without a \`checkpoints\` list`);
      const intact = list.filter((cp): cp is AuditCheckpoint => isCheckpointShape(cp) && !checkpointHashProblem(cp));
      if (intact.length !== list.length) throw new AuditError(`the checkpoint witness \`${location}\` answered ${list.length - intact.length} checkpoint(s) that are not intact`);
      return newestPerCheckpointer(intact);
    },
    async close() {},
  };
}
