import type { Decision } from '../decision/decision.js';
import { publicDecision, type PublicDecision } from '../guard/saferoute-info.js';
import type { GuardObserver } from '../observability/guard-events.js';
import type { RequestAttributes } from '../policy/evaluate-condition.js';
import type { SubjectResolver } from '../subjects/resolve-subject.js';
import type { SubjectContext } from '../subjects/subject-context.js';
import type { Scores } from '../taxonomy/categories.js';
import { GatewayHttpError } from './gateway-error.js';
import type { TenantRuntime } from './gateway-host.js';
import type { GatewayContext } from './request-subject.js';

export interface DecideRouteInput {
  tenant: TenantRuntime;
  body: Record<string, unknown>;
  /** The subject from the request's headers; the body's `subject` adds to it. */
  context: GatewayContext;
  resolver: SubjectResolver | undefined;
  observer: GuardObserver;
}

const bad = (message: string, param: string): GatewayHttpError => new GatewayHttpError(400, 'invalid_request_error', 'input_invalid', message, param);

function optionalString(body: Record<string, unknown>, key: string, where = key): string | undefined {
  const v = body[key];
  if (v == null) return undefined;
  if (typeof v !== 'string') throw bad(`\`${where}\` must be a string`, where);
  return v;
}

/**
 * `POST /v1/decide`: the policy decision without any model call, like OPA's data API — `text`
 * and/or `scores`, `stage`, a subject reference (`subject: { id, attestation, jurisdiction }`, or
 * the `x-saferoute-*` headers), request attributes; `explain: true` adds every rule's trace and the decision's facts. The
 * decision is recorded before it is returned (fail closed), as every decision is, with the
 * tenant's shadow policies' decisions beside it.
 */
export async function decideRoute(input: DecideRouteInput): Promise<{ decision: Decision; body: PublicDecision }> {
  const { body } = input;
  const text = optionalString(body, 'text');
  const scores = body.scores;
  if (scores != null && (typeof scores !== 'object' || Array.isArray(scores))) throw bad('`scores` must be an object of category → score', 'scores');
  if (text == null && scores == null) throw bad('give `text`, `scores`, or both', 'text');
  const stage = body.stage ?? 'input';
  if (stage !== 'input' && stage !== 'output') throw bad('`stage` must be `input` or `output`', 'stage');
  const servedTarget = optionalString(body, 'servedTarget');
  const subjectRef = body.subject ?? {};
  if (typeof subjectRef !== 'object' || subjectRef === null || Array.isArray(subjectRef)) throw bad('`subject` must be an object: `{ "id", "attestation", "jurisdiction" }`', 'subject');
  const ref = subjectRef as Record<string, unknown>;
  // A subject given as `check --subject` takes it (age, consents) would be ignored here: say so instead.
  const unread = Object.keys(ref).find((key) => key !== 'id' && key !== 'attestation' && key !== 'jurisdiction');
  if (unread != null) {
    throw bad(`\`subject.${unread}\` is not read: a subject here is \`{ "id", "attestation", "jurisdiction" }\`; the age comes only from a signed \`attestation\` and consents from the consent store`, `subject.${unread}`);
  }
  const context: GatewayContext = { ...input.context };
  const id = optionalString(ref, 'id', 'subject.id');
  const attestation = optionalString(ref, 'attestation', 'subject.attestation');
  const jurisdiction = optionalString(ref, 'jurisdiction', 'subject.jurisdiction');
  if (id != null) context.subjectId = id;
  if (attestation != null) context.attestationToken = attestation;
  if (jurisdiction != null) context.jurisdiction = jurisdiction;
  const requestBody = body.request ?? {};
  if (typeof requestBody !== 'object' || requestBody === null || Array.isArray(requestBody)) throw bad('`request` must be an object of request attributes', 'request');
  const req = requestBody as Record<string, unknown>;
  const metadata = req.metadata;
  if (metadata != null && (typeof metadata !== 'object' || Array.isArray(metadata))) throw bad('`request.metadata` must be an object', 'request.metadata');

  const now = new Date();
  let subject: SubjectContext | undefined;
  if (input.resolver) subject = await input.resolver.resolve({ ...context, ...(context.headers ? { headers: context.headers } : {}) }, now);
  else {
    if (context.attestationToken != null) throw new GatewayHttpError(400, 'invalid_request_error', 'attestation_unverifiable', 'the gateway has no `issuers` configured, so it cannot verify an attestation; configure issuers or leave the attestation out');
    if (context.subjectId != null || context.jurisdiction != null) subject = { ...(context.subjectId != null ? { id: context.subjectId } : {}), ...(context.jurisdiction != null ? { jurisdiction: context.jurisdiction } : {}) };
  }
  // The tenant is the key's, never the body's: a caller cannot decide as another tenant.
  const attributes: RequestAttributes = {
    tenant: input.tenant.id,
    ...(typeof req.app === 'string' ? { app: req.app } : {}),
    ...(typeof req.model === 'string' ? { model: req.model } : {}),
    hasImages: req.hasImages === true,
    ...(metadata != null ? { metadata: metadata as Record<string, string | number | boolean> } : {}),
  };
  const runtime = input.tenant.guard.runtime;
  let decision = await runtime.decide(
    {
      ...(text != null ? { text } : {}),
      ...(scores != null ? { scores: scores as Scores } : {}),
      stage,
      ...(subject ? { subject } : {}),
      request: attributes,
      ...(servedTarget != null ? { servedTarget } : {}),
      now,
    },
    { trace: body.explain === true },
  );
  // Recorded by the tenant's guard, which decides with its shadow policies beside (never enforced).
  decision = await input.tenant.guard.recordDecision(decision, {
    text: text ?? '',
    subjectId: context.subjectId,
    requestId: context.requestId,
    subject,
    request: attributes,
    servedTarget,
  });
  try {
    input.observer.decision?.({ decision, tenant: input.tenant.id });
  } catch {
    // Observers never fail a request.
  }
  return { decision, body: publicDecision(decision, { facts: body.explain === true }) };
}
