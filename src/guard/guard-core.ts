import type { Decision } from '../decision/decision.js';
import type { ClassifierResolver, PolicyRuntime } from '../decision/policy-runtime.js';
import { SaferouteError } from '../errors.js';
import { combineObservers } from '../observability/notify-observers.js';
import type { DecisionEvent, GuardObserver } from '../observability/guard-events.js';
import { inSpan } from '../observability/tracing.js';
import { withObservedClassifiers } from '../observability/with-observed-classifiers.js';
import { DEFAULT_MESSAGES, type EvaluablePolicy } from '../policy/evaluate-policy.js';
import type { RequestAttributes } from '../policy/evaluate-condition.js';
import type { SubjectContext } from '../subjects/subject-context.js';
import { parseChatRequest, type ChatRequest, type ChatRequestLimits } from './chat-request.js';
import { checkTextStream, type StreamCheckOptions } from './check-text-stream.js';
import { withDecodedViews } from './decoded-views.js';
import { extractText, type ExtractTextOptions } from './extract-text.js';
import { failClosedDecision } from './fail-closed-decision.js';
import type { AuditRecorder } from '../audit/create-audit-recorder.js';
import type { BlockedAnswer, GuardAnswer, InputCheck, OutputCheck, StreamCheckEvent } from './guard-checks.js';
import type { GuardContext, SubjectResolver } from './guard-context.js';
import type { TextStreamEvent } from './hold-back-text.js';
import { planRedaction, redactSpans } from './redact-output.js';
import { requestFieldText, type ExtraTextMode } from './request-field-text.js';
import { resolveRuntime, type Env } from './resolve-runtime.js';
import type { RequireSignedPoliciesOptions } from '../policy-signing/require-signed-policy.js';
import type { BlockInfo } from './saferoute-info.js';
import { answerExtraText } from './tool-call-text.js';
import { createShadowDecider, type ShadowInput } from './shadow-policies.js';

/** What the guard's input stage accepts: an OpenAI-style chat request (validated by the guard). */
export type ChatRequestInput = object & { messages: readonly unknown[]; model?: string; stream?: boolean | null };

export interface GuardInputOptions extends ExtractTextOptions, ChatRequestLimits {
  /**
   * Text the model reads outside message content — tool and schema descriptions, message names,
   * text `data:` URLs: `classify` it with the messages (default) or `refuse` requests carrying it.
   */
  extraText?: ExtraTextMode;
}

export interface GuardCoreOptions {
  /** A policy file, a loaded policy (or any `EvaluablePolicy`), or a runtime already bound to classifiers. */
  policy: string | EvaluablePolicy | PolicyRuntime;
  /**
   * Resolves the classifier names of the policy. Default: the built-in registry over `env`, one
   * per `env` object, shared by every guard of the process (a multi-tenant host loads the
   * embedded model once).
   */
  classifiers?: ClassifierResolver;
  /** Records every decision durably before anything is released; a failure blocks. */
  audit?: AuditRecorder;
  /** Verifies the subject (attestation, consent); without one, `context.subject` is used as given. */
  subjectResolver?: SubjectResolver;
  clock?: () => Date;
  /** Where key variables and classifier settings are read (default `process.env`). */
  env?: Env;
  /** What the input stage classifies, and request limits. */
  input?: GuardInputOptions;
  /**
   * Called with every decision once it is recorded — never awaited, never able to fail or delay
   * the request (what it throws or rejects is counted by the observers' `observerError`).
   */
  onDecision?: (event: DecisionEvent) => void | Promise<void>;
  /** Metrics and logs (e.g. `createMetrics().observer`). */
  observers?: readonly GuardObserver[];
  /**
   * Refuse a policy that is not signed (`POLICY.sig.json` beside it, by `saferoute policy sign`)
   * with one of these public keys over exactly its resolved content (`extends` included): a
   * `PolicySignatureError` (`policy_unsigned` / `policy_signature_invalid`) at creation. Checked
   * once; decisions and audit records then carry `policy.signedBy`.
   */
  requireSignedPolicies?: RequireSignedPoliciesOptions;
  /**
   * Candidate policies (files or loaded policies) decided beside the live one on every request
   * and answer, never enforced: their decisions are recorded in the audit log marked `shadow`,
   * linked to the live decision by `shadowOf`, for `saferoute replay --shadow`.
   */
  shadow?: readonly (string | EvaluablePolicy)[];
}

/** The output policy as the guard applies it. */
export interface OutputSettings {
  onBlock: 'refuse' | 'replace';
  mode: 'hold-back' | 'progressive';
  holdBackChars: number;
  checkEveryChars: number;
}

/**
 * The pipeline every front door shares, in format-neutral stages: the OpenAI-shaped guard, the
 * Vercel AI SDK middleware and the HTTP gateway only translate their wire formats around it.
 */
export interface GuardCore {
  readonly runtime: PolicyRuntime;
  readonly output: OutputSettings;
  /** Validate, resolve the subject, classify, decide, record (fail closed). Never calls a model. */
  checkInput(request: ChatRequestInput | ChatRequest | string, context?: GuardContext): Promise<InputCheck>;
  /** Classify a whole answer served by `servedTarget`, decide, redact or refuse, record. */
  checkOutput(answer: GuardAnswer, input: InputCheck, options: { servedTarget: string }): Promise<OutputCheck>;
  /**
   * The hold-back stream checker over any stream of text deltas ending in one `done` (which may
   * carry tool calls, a function call and a refusal, checked with the final window). Releases only
   * checked text, each release recorded first; calls `abortUpstream` as soon as a check blocks.
   */
  checkStream<Done extends StreamDone>(source: AsyncIterable<TextStreamEvent<Done>>, input: InputCheck, options: { servedTarget: string; abortUpstream?: () => void }): AsyncGenerator<StreamCheckEvent<Done>>;
  /** Why a decision blocked, in the form an app shows and acts on. */
  blockInfo(decision: Decision): BlockInfo;
  /**
   * Records a decision made on this core's runtime outside the chat pipeline (the gateway's
   * `/v1/decide`), with the shadow policies' decisions on the same input beside it. Resolves to
   * the decision, or to an `audit_failed` block when it could not be recorded (fail closed).
   * Observers are not told: the caller does that.
   */
  recordDecision(decision: Decision, on: DecisionRecordInput): Promise<Decision>;
}

/** What a decision made outside the chat pipeline was made on, for its audit record and the shadow policies. */
export interface DecisionRecordInput {
  text: string;
  subjectId?: string | undefined;
  requestId?: string | undefined;
  subject?: SubjectContext | undefined;
  request: RequestAttributes;
  servedTarget?: string | undefined;
}

/** The end of a stream as the checker reads it: whatever else the answer carries besides its text. */
export type StreamDone = { type: 'done' } & Partial<Pick<GuardAnswer, 'toolCalls' | 'functionCall' | 'refusal' | 'also'>>;

/** Everything besides the text an answer carries, as text to classify (decoded views included). */
function extraTextOf(answer: Partial<Pick<GuardAnswer, 'toolCalls' | 'functionCall' | 'refusal' | 'also'>>): string {
  const calls = answerExtraText({ toolCalls: answer.toolCalls ?? [], functionCall: answer.functionCall, refusal: answer.refusal });
  const also = (answer.also ?? []).filter((t) => t !== '').map((t) => withDecodedViews(t).text);
  return [calls, ...also].filter((t) => t !== '').join('\n');
}

export async function createGuardCore(options: GuardCoreOptions): Promise<GuardCore> {
  const env = options.env ?? process.env;
  const notify = combineObservers([...(options.observers ?? []), options.onDecision ? { decision: options.onDecision } : undefined]);
  // Classifier timings are taken only for observers that want them; spans only when tracing is on.
  const observed = (options.observers ?? []).some((o) => o.classifierCall != null);
  const runtime = await resolveRuntime(options.policy, options.classifiers, env, (resolver) => withObservedClassifiers(resolver, observed ? notify.classifierCall : undefined), options.requireSignedPolicies);
  const doc = runtime.policy.document;
  const shadowRuntimes = await Promise.all((options.shadow ?? []).map((p) => resolveRuntime(p, options.classifiers, env)));
  const shadows = shadowRuntimes.length > 0 ? createShadowDecider(runtime, shadowRuntimes) : undefined;
  const messages: Record<string, string> = doc.messages;
  const output: OutputSettings = { onBlock: doc.output.onBlock, ...doc.output.streaming };
  const replacementId = doc.output.replacement;
  const clock = options.clock ?? (() => new Date());
  const limits: ChatRequestLimits = {
    ...(options.input?.maxMessageChars != null ? { maxMessageChars: options.input.maxMessageChars } : {}),
    ...(options.input?.maxMessages != null ? { maxMessages: options.input.maxMessages } : {}),
  };
  // The guard's options win over the policy's `input` section, which wins over the defaults.
  const extraText: ExtraTextMode = options.input?.extraText ?? doc.input.extraText;
  const extractOptions: ExtractTextOptions = {
    historyMessages: options.input?.historyMessages ?? doc.input.historyMessages,
    includeSystem: options.input?.includeSystem ?? doc.input.includeSystem,
  };

  const message = (id: string): string => messages[id] ?? DEFAULT_MESSAGES[id] ?? DEFAULT_MESSAGES.blocked ?? 'blocked';
  const outputBlockedMessage = (): string => message('output_blocked');

  const subjectFor = async (context: GuardContext, at: Date): Promise<SubjectContext | undefined> => {
    if (options.subjectResolver) return options.subjectResolver.resolve(context, at);
    if (context.attestationToken != null) {
      // Ignoring it would leave the subject unverified (fail-closed, but silently puzzling).
      throw new SaferouteError(
        'config_invalid',
        'the call carries an `attestationToken`, but the guard has no subject resolver to verify it; pass `createGuard({ subjectResolver: createSubjectResolver({ verifier, consentStore }) })`, or pass the verified `subject` instead',
      );
    }
    let subject = context.subject;
    if (context.jurisdiction != null && subject?.jurisdiction == null) subject = { ...subject, jurisdiction: context.jurisdiction };
    if (context.subjectId != null && subject?.id == null) subject = { ...subject, id: context.subjectId };
    return subject;
  };

  // Built by assignment, in the same key order: conditional spreads opening a literal cost about 1 µs on Node 20.
  const attributesOf = (request: ChatRequest, context: GuardContext, hasImages: boolean): RequestAttributes => {
    const attributes: RequestAttributes = {};
    if (context.tenant != null) attributes.tenant = context.tenant;
    if (context.app != null) attributes.app = context.app;
    if (request.model != null) attributes.model = request.model;
    attributes.hasImages = hasImages;
    if (context.metadata) attributes.metadata = context.metadata;
    return attributes;
  };

  /** `true` once durable; `false` when the recorder failed (the caller blocks). Shadow decisions are recorded in the same batch, and their failure is ignored. */
  const record = async (decision: Decision, text: string, subjectId: string | undefined, requestId: string | undefined, shadowInput?: ShadowInput): Promise<boolean> => {
    if (!options.audit) return true;
    const audit = options.audit;
    const started = performance.now();
    const candidates = shadows && shadowInput ? await shadows.decide(decision, shadowInput) : [];
    const ok = await inSpan('saferoute.audit.append', { 'saferoute.decision.id': decision.decisionId, 'saferoute.stage': decision.stage }, async () => {
      const ids = { ...(subjectId != null ? { subjectId } : {}), ...(requestId != null ? { requestId } : {}) };
      const live = audit.record(decision, { text, policy: runtime.policy, ...ids });
      const shadowRecords = candidates.map((c) =>
        Promise.resolve(audit.record(c.decision, { text, policy: c.runtime.policy, shadowOf: decision.decisionId, ...ids })).catch(() => undefined),
      );
      try {
        await live;
        return true;
      } catch {
        return false;
      } finally {
        await Promise.all(shadowRecords);
      }
    });
    notify.auditAppend({ ok, seconds: (performance.now() - started) / 1000 });
    return ok;
  };

  const auditFailed = (decision: Decision): Decision => failClosedDecision(decision, 'audit_failed', messages.audit_failed ?? DEFAULT_MESSAGES.classifier_error ?? 'blocked');

  /** Records `decision` and tells the observers; an unrecorded decision becomes an `audit_failed` block. */
  const settle = async (
    decision: Decision,
    text: string,
    input: { subjectId?: string | undefined; context: GuardContext; subject?: SubjectContext | undefined; attributes?: RequestAttributes; prompt?: string },
    servedTarget?: string,
    preceding?: string,
  ): Promise<Decision> => {
    const shadowInput: ShadowInput | undefined = shadows
      ? { text, subject: input.subject, request: input.attributes ?? {}, servedTarget, ...(servedTarget != null && input.prompt != null ? { prompt: input.prompt } : {}), preceding }
      : undefined;
    const recorded = (await record(decision, text, input.subjectId, input.context.requestId, shadowInput)) ? decision : auditFailed(decision);
    notify.decision({
      decision: recorded,
      ...(input.context.tenant != null ? { tenant: input.context.tenant } : {}),
      ...(input.context.app != null ? { app: input.context.app } : {}),
      ...(servedTarget != null ? { servedTarget } : {}),
    });
    return recorded;
  };

  const blockInfo = (decision: Decision): BlockInfo => ({
    code: 'content_blocked',
    stage: decision.stage,
    reason: decision.reason ?? 'blocked',
    message: decision.message ?? (decision.stage === 'output' ? outputBlockedMessage() : message('blocked')),
    decisionId: decision.decisionId,
    unmet: decision.unmet,
  });

  /** What replaces a blocked answer: the policy's refusal, or its replacement message as content. */
  const insteadOf = (decision: Decision): BlockedAnswer => {
    if (output.onBlock === 'replace') {
      const replacement = replacementId != null ? (messages[replacementId] ?? DEFAULT_MESSAGES[replacementId]) : undefined;
      return { content: replacement ?? outputBlockedMessage() };
    }
    return { refusal: blockInfo(decision).message };
  };

  const decideTraced = (input: Parameters<PolicyRuntime['decide']>[0], signal: AbortSignal | undefined): Promise<Decision> =>
    inSpan('saferoute.decide', { 'saferoute.stage': input.stage ?? 'input', 'saferoute.policy.id': runtime.policy.id, 'saferoute.policy.revision': runtime.policy.revision }, async (span) => {
      const decision = await runtime.decide(input, signal ? { signal } : {});
      span.setAttributes({
        'saferoute.decision.id': decision.decisionId,
        'saferoute.outcome': decision.effective.outcome,
        'saferoute.target': decision.effective.target ?? '',
        'saferoute.rules.determining': decision.determiningRules,
        'saferoute.latency_ms': decision.latencyMs,
        'saferoute.classifier_errors': decision.classifierErrors.map((e) => `${e.classifier}:${e.code}`),
      });
      return decision;
    });

  const outputDecision = (text: string, input: InputCheck, servedTarget: string, preceding?: string): Promise<Decision> =>
    decideTraced(
      {
        text,
        stage: 'output',
        servedTarget,
        prompt: input.prompt,
        ...(preceding ? { preceding } : {}),
        ...(input.subject ? { subject: input.subject } : {}),
        request: input.attributes,
        now: clock(),
      },
      input.context.signal,
    );

  async function checkInput(raw: ChatRequestInput | ChatRequest | string, context: GuardContext = {}): Promise<InputCheck> {
    const request = parseChatRequest(typeof raw === 'string' ? { messages: [{ role: 'user', content: raw }] } : raw, limits);
    const now = clock();
    // Before the subject is resolved: a request the policy refuses outright costs nothing more.
    const fieldText = requestFieldText(request, extraText);
    const subject = await subjectFor(context, now);
    const extracted = extractText(request.messages, extractOptions);
    const text = fieldText === '' ? extracted.text : extracted.text === '' ? fieldText : `${extracted.text}\n\n${fieldText}`;
    const attributes = attributesOf(request, context, extracted.hasImages);
    const subjectId = subject?.id ?? context.subjectId;
    const decided = await decideTraced({ text, stage: 'input', ...(subject ? { subject } : {}), request: attributes, now }, context.signal);
    const decision = await settle(decided, text, { subjectId, context, subject, attributes });
    const check: InputCheck = { request, context, attributes, text, prompt: extracted.prompt, decision };
    if (subject) check.subject = subject;
    if (subjectId != null) check.subjectId = subjectId;
    if (decision.effective.outcome === 'block') check.blocked = blockInfo(decision);
    else if (decision.effective.target != null) check.target = decision.effective.target;
    else throw new SaferouteError('config_invalid', 'the decision routes to no target');
    return check;
  }

  async function checkOutput(answer: GuardAnswer, input: InputCheck, { servedTarget }: { servedTarget: string }): Promise<OutputCheck> {
    // The answer as written and as decoded (JSON-mode content, escaped tool arguments), then
    // everything else it carries: the check sees what a client or a tool will read.
    const view = withDecodedViews(answer.text);
    const extra = extraTextOf(answer);
    const outputText = extra !== '' ? `${view.text}\n${extra}` : view.text;
    let decision = await outputDecision(outputText, input, servedTarget);
    let content = answer.text;
    let redacted: OutputCheck['redacted'] = [];
    const plan = planRedaction(decision, view);
    if (plan?.kind === 'unavailable') decision = failClosedDecision(decision, 'redaction_unavailable', outputBlockedMessage());
    else if (plan?.kind === 'spans') {
      content = redactSpans(answer.text, plan.spans);
      redacted = plan.categories;
    }
    decision = await settle(decision, outputText, input, servedTarget);
    if (decision.effective.outcome === 'block') return { decision, blocked: blockInfo(decision), instead: insteadOf(decision), content: '', redacted: [] };
    return { decision, content, redacted };
  }

  function checkStream<Done extends StreamDone>(source: AsyncIterable<TextStreamEvent<Done>>, input: InputCheck, opts: { servedTarget: string; abortUpstream?: () => void }): AsyncGenerator<StreamCheckEvent<Done>> {
    const streamOptions: StreamCheckOptions<Done> = {
      output,
      check: (text, preceding) => outputDecision(text, input, opts.servedTarget, preceding),
      settle: (decision, text) => settle(decision, text, input, opts.servedTarget),
      failClosed: (decision, reason) => failClosedDecision(decision, reason, outputBlockedMessage()),
      blockInfo,
      insteadOf,
      abortUpstream: opts.abortUpstream ?? (() => undefined),
      extraText: (done) => extraTextOf(done),
      onRelease: (chars) => notify.stream({ type: 'release', chars, target: opts.servedTarget }),
      onBlock: (releasedChars) => notify.stream({ type: 'block', target: opts.servedTarget, releasedChars }),
    };
    return checkTextStream(source, streamOptions);
  }

  const recordDecision = async (decision: Decision, on: DecisionRecordInput): Promise<Decision> => {
    const shadowInput: ShadowInput | undefined = shadows ? { text: on.text, subject: on.subject, request: on.request, servedTarget: on.servedTarget } : undefined;
    return (await record(decision, on.text, on.subjectId, on.requestId, shadowInput)) ? decision : auditFailed(decision);
  };

  return { runtime, output, checkInput, checkOutput, checkStream, blockInfo, recordDecision };
}
