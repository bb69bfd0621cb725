import { ContentBlockedError } from '../guard/content-blocked-error.js';
import type { GuardedCompletion } from '../guard/openai-shapes.js';
import type { GuardedStream } from '../guard/guarded-stream.js';
import type { ApiKeyIdentity } from './api-keys.js';
import type { GatewayAnswer } from './gateway-answer.js';
import { GatewayHttpError, toOpenAIError } from './gateway-error.js';
import type { GatewayState } from './gateway-host.js';
import type { GatewayContext } from './request-subject.js';
import type { StreamTracker } from './stream-tracker.js';

export interface ChatRouteInput {
  state: GatewayState;
  identity: ApiKeyIdentity;
  body: Record<string, unknown>;
  context: GatewayContext;
  /** `error`: a block is a 403 (`x-saferoute-on-block: error` or the config's `onBlock`). */
  onBlock: 'refuse' | 'error';
  streams: StreamTracker;
  /** Told the final status (a stream's when it ends). */
  done(status: number): void;
}

/**
 * `POST /v1/chat/completions`: the tenant's guard decides, calls the target the policy chose (or
 * refuses without calling any) and checks the answer; the gateway only speaks OpenAI's wire format
 * around it. Every answer carries `x-saferoute-decision-id` (the input decision) and `saferoute`.
 */
export async function chatCompletions(input: ChatRouteInput): Promise<GatewayAnswer> {
  const { state, identity, body, context } = input;
  const tenant = state.tenants.get(identity.tenant);
  if (!tenant) throw new GatewayHttpError(500, 'server_error', 'tenant_unavailable', `tenant \`${identity.tenant}\` has no policy loaded`);
  if (!Array.isArray(body.messages)) throw new GatewayHttpError(400, 'invalid_request_error', 'input_invalid', '`messages` must be an array of chat messages', 'messages');
  if (body.stream != null && typeof body.stream !== 'boolean') throw new GatewayHttpError(400, 'invalid_request_error', 'input_invalid', '`stream` must be true or false', 'stream');
  const streaming = body.stream === true;
  const closeStream = streaming ? input.streams.open(`${identity.tenant}/${identity.keyId}`, state.config.limits.maxConcurrentStreamsPerKey) : undefined;
  const onBlock = input.onBlock === 'error' ? 'throw' : 'refuse';
  let result: GuardedCompletion | GuardedStream;
  try {
    result = await tenant.guard.chat(body as { messages: unknown[] }, context, { onBlock });
  } catch (error) {
    closeStream?.();
    if (error instanceof ContentBlockedError) {
      const { status, body: errorBody } = toOpenAIError(error);
      const blocked = { ...errorBody, error: { ...errorBody.error, message: error.userMessage, type: 'content_filter' as const }, saferoute: { blocked: error.info, decision: error.decision } };
      input.done(status);
      return { kind: 'json', status, headers: { 'x-saferoute-decision-id': error.decisionId }, body: blocked };
    }
    throw error;
  }
  if (!streaming || !closeStream) {
    const completion = result as GuardedCompletion;
    input.done(200);
    const headers: Record<string, string> = { 'x-saferoute-decision-id': completion.saferoute.inputDecisionId };
    if (completion.saferoute.outputDecisionId) headers['x-saferoute-output-decision-id'] = completion.saferoute.outputDecisionId;
    return { kind: 'json', status: 200, headers, body: completion };
  }
  const stream = result as unknown as GuardedStream;
  return {
    kind: 'sse',
    status: 200,
    headers: { 'x-saferoute-decision-id': stream.saferoute.inputDecisionId },
    stream,
    onEnd: (outcome) => {
      closeStream();
      input.done(outcome === 'error' ? 502 : outcome === 'cancelled' ? 499 : 200);
    },
  };
}
