// The public API of saferoute, listed by name.
export { SaferouteError, UsageError, InputError } from './errors.js';
export type { SaferouteErrorCode } from './errors.js';
export { HTTP_STATUS, httpStatusFor, isRetryable } from './error-table.js';
export { EXIT_CODE, exitCodeFor } from './cli/exit-codes.js';

export {
  CATEGORIES,
  CATEGORY_DESCRIPTIONS,
  isCategory,
  OPENAI_MODERATION_CATEGORIES,
  OPENAI_MODERATION_TO_CANONICAL,
  openAIModerationSourcesOf,
  LLAMA_GUARD_CODES,
  LLAMA_GUARD_TO_CANONICAL,
  isLlamaGuardCode,
  llamaGuardSourcesOf,
} from './taxonomy/index.js';
export type { Category, Scores, OpenAIModerationCategory, LlamaGuardCode } from './taxonomy/index.js';

export {
  loadPolicy,
  loadPolicyOrThrow,
  validatePolicyObject,
  validatePolicyObjectOrThrow,
  PolicyInvalidError,
  PolicyNotFoundError,
  formatPolicyIssue,
  PolicySchema,
  buildPolicyJsonSchema,
} from './policy/index.js';
export type { Policy, ResolvedPolicy, PolicyIssue, PolicyLoadResult, PolicyValidationOptions, ValidatePolicyObjectOptions, PolicyDocument, Rule, Target, Condition } from './policy/index.js';
export { evaluatePolicy } from './policy/evaluate-policy.js';
export type { EvaluablePolicy, Evaluation } from './policy/evaluate-policy.js';
export { shippedPolicyPath } from './policy/shipped-policies.js';
export { diffPolicies, formatPolicyDiff, CHANGE_SECTIONS } from './policy-diff/index.js';
export type { PolicyDiff, PolicyChange, PolicyDiffSide, ChangeSection, Direction, DiffPoliciesOptions } from './policy-diff/index.js';
export {
  signPolicy,
  checkPolicySignature,
  describeSignatureCheck,
  generatePolicyKeyPair,
  loadTrustedPolicyKeys,
  requireSignedPolicy,
  signatureFileFor,
  PolicySignatureError,
} from './policy-signing/index.js';
export type { PolicySignature, PolicySignedBy, PolicySignatureCheck, PolicyKeyInput, PolicyKeyPair, RequireSignedPoliciesOptions } from './policy-signing/index.js';

export { decide, decideOnBasis, evaluateBasis, buildDecisionFacts, createPolicyRuntime, parseSubjectInput, UNMET_CODES } from './decision/index.js';
export type { DecisionFacts, DecisionBasis, RequestFacts, SubjectFacts } from './decision/index.js';
export type {
  Decision,
  DecisionInput,
  DecideOptions,
  PolicyRuntime,
  ClassifierResolver,
  UnmetCode,
  UnmetRequirement,
  Stage,
  Outcome,
} from './decision/index.js';

export { PolicyTestFileSchema, runPolicyTests } from './policy-tests/index.js';
export type { PolicyTestFile, PolicyTestReport } from './policy-tests/index.js';

export {
  createClassifierRegistry,
  defaultClassifierFactories,
  createCascade,
  withCache,
  withTimeout,
  withDecodedObfuscation,
  findEncodedSpans,
  createOpenAIModerationClassifier,
  createLlamaGuardClassifier,
  parseLlamaGuardVerdict,
  createEmbeddedClassifier,
  getDefaultEmbeddedClassifier,
  createAdversarialSuffixDetector,
  createIndirectInjectionDetector,
  defaultAttackDetectors,
  createLexiconClassifier,
  getDefaultLexiconClassifier,
  createLinearClassifier,
  loadLinearModel,
  createPiiClassifier,
  detectPii,
  redactPii,
} from './classifiers/index.js';
export type { Classifier, ClassifierInput, ClassifierOutcome, ClassifierError, ClassifierErrorCode, Evidence, ClassifierRegistry, AttackDetector, AttackFinding, EmbeddedClassifierOptions, EncodedSpan, EncodingKind } from './classifiers/index.js';
export { LexiconError } from './classifiers/lexicon/index.js';
export { LinearModelError } from './classifiers/linear/index.js';

export type { SubjectContext, AgeEvidence, ConsentEvent, AssuranceLevel, AgeMethod } from './subjects/subject-context.js';

export { createGuard, createGuardCore, guardOpenAI, ContentBlockedError, publicDecision, parseChatRequest, extractText, sharedClassifierRegistry } from './guard/index.js';
export type {
  Guard,
  GuardOptions,
  GuardCore,
  GuardCoreOptions,
  InputCheck,
  OutputCheck,
  GuardAnswer,
  BlockedAnswer,
  StreamCheckEvent,
  StreamDone,
  TextStreamEvent,
  OnBlock,
  BlockInfo,
  GuardContext,
  ChatRequestInput,
  GuardedCompletion,
  GuardedChunk,
  GuardedStream,
  GuardedOpenAI,
  GuardOpenAIOptions,
  SaferouteInfo,
  PublicDecision,
  PublicDecisionOptions,
  SubjectResolver,
  GuardAuditRecorder,
} from './guard/index.js';
export { createMetrics, combineObservers, withObservedClassifier, withObservedClassifiers } from './observability/index.js';
export type { SaferouteMetrics, MetricsOptions, GuardObserver, DecisionEvent, ProviderCallEvent, AuditAppendEvent, ClassifierCallEvent, StreamEvent } from './observability/index.js';
export {
  createGatewayApp,
  startGateway,
  createGatewayHost,
  loadGatewayConfig,
  loadGatewayConfigOrThrow,
  parseGatewayConfig,
  openGatewayConfig,
  GatewayConfigError,
  GatewayHttpError,
  buildGatewayConfigJsonSchema,
  generateApiKey,
  hashApiKey,
} from './gateway/index.js';
export type { GatewayApp, RunningGateway, StartGatewayOptions, GatewayHost, GatewayHostOptions, GatewayState, GatewayConfig, GatewayLimits, GatewayScope, TenantConfig, ApiKeyConfig } from './gateway/index.js';
export { createConsole } from './console/index.js';
export type { ConsoleOptions, GatewayConsole, ConsoleRole } from './console/index.js';
export type { ConsoleConfig } from './gateway/gateway-config.js';
export { createOpenAIProvider, createOpenAIHttpProvider, createUpstreamAgents, createOllamaProvider, createTargetProviders, ProviderError, ProviderConfigError } from './providers/index.js';
export type { ChatProvider, ProviderRequest, ProviderCompletion, ProviderStream } from './providers/index.js';

export {
  createAuditEvent,
  createAuditRecorder,
  createAuditRecorderFromEnv,
  createAuditHmacKeys,
  createFileAuditSink,
  createPgAuditSink,
  AUDIT_MIGRATIONS,
  generateAuditKeyPair,
  verifyAuditLog,
  queryAuditLog,
  readAuditRecords,
  writeAuditReport,
  AuditError,
  AuditConfigError,
  AUDIT_EVENT_VERSION,
  createFileCheckpointWitness,
  createPgCheckpointWitness,
  createHttpCheckpointWitness,
  createWitnessHttpHandler,
  openCheckpointWitness,
  readArchivedPolicy,
  explainDecision,
} from './audit/index.js';
export { replayAuditLog, replayCorpus, replayShadow, formatReplayReport } from './replay/index.js';
export type { ReplayOptions, ReplaySummary, ShadowComparison, Transition, Unreplayed } from './replay/index.js';
export type { DecisionExplanation } from './audit/index.js';
export type { AuditRecorder, AuditRecordContext, OwnedAuditRecorder, AuditRecorderFromEnvOptions, AuditEvent, DecisionAuditBody, AuditSink, AuditAck, AuditVerifyReport, AuditFinding, AuditQuery, AuditShadowFilter, AuditLogSource, CheckpointWitness } from './audit/index.js';

export {
  createAttestationVerifier,
  loadIssuersFile,
  createSubjectResolver,
  createFileConsentStore,
  createPgConsentStore,
  openConsentStore,
  createMemoryReplayStore,
  createPgReplayStore,
  pseudonymise,
  resolveJurisdiction,
  consentStateAt,
  generateIssuerKeyPair,
  mintAttestation,
  CONSENT_MIGRATIONS,
  pseudonymKeyFromEnv,
  AttestationConfigError,
  ConsentStoreError,
  ConsentRecordError,
  PseudonymKeyError,
} from './subjects/index.js';
export type {
  AttestationVerifier,
  AttestationVerifierOptions,
  ConsentStore,
  FileConsentStoreOptions,
  PgConsentStoreOptions,
  SubjectResolverOptions,
} from './subjects/index.js';
export { runMigrations, MigrationError, PG_SETTINGS, pgPoolConfigFromEnv, openPgPoolFromEnv } from './db/index.js';
export type { PgPoolLike, PgClientLike, PgQueryResultLike } from './db/index.js';
