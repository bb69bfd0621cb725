export { formatPolicyIssue, isError } from './policy-issue.js';
export type { PolicyIssue } from './policy-issue.js';
export type { Policy, ResolvedPolicy, ResolvedRule, ResolvedTarget } from './policy.js';
export {
  loadPolicy,
  loadPolicyOrThrow,
  validatePolicyObject,
  validatePolicyObjectOrThrow,
} from './load-policy.js';
export type { PolicyLoadResult, ValidatePolicyObjectOptions, PolicyValidationOptions } from './load-policy.js';
export { PolicyInvalidError } from './policy-invalid-error.js';
export { PolicyNotFoundError } from './policy-not-found-error.js';
export { parseJsonSource, objectSource } from './source-map.js';
export type { JsonSource, PositionKind, SourcePosition, ParseJsonOptions } from './source-map.js';
export { validatePolicySchema, createSchemaValidator } from './validate-policy-schema.js';
export type { SchemaFinding, SchemaValidator } from './validate-policy-schema.js';
export { readJsonFile, readJsonFileSync } from './read-json-file.js';
export type { ReadResult, ReadJsonFileOptions } from './read-json-file.js';
export { MAX_JSON_FILE_BYTES, DEFAULT_JSON_LIMITS } from './json-limits.js';
export type { JsonLimits } from './json-limits.js';
export { CLASSIFIER_CATEGORIES } from './classifier-coverage.js';
export { checkPolicySemantics, KNOWN_CLASSIFIERS } from './semantic-checks.js';
export type { SemanticContext } from './semantic-checks.js';
export type { SemanticFinding } from './semantic-finding.js';
export { MAX_EXTENDS_DEPTH } from './resolve-extends.js';
export { resolvePolicyDefaults, DEFAULT_STREAMING } from './resolve-policy-defaults.js';
export { didYouMean, editDistance } from './did-you-mean.js';
export { parsePointer, formatPointer } from './json-pointer.js';
export { PolicySchema, ConditionSchema, CategorySchema, SUBJECT_ATTRIBUTES, REQUEST_ATTRIBUTES } from './policy-schema.js';
export type {
  PolicyDocument,
  Rule,
  Effect,
  Target,
  Requirements,
  AgeRequirement,
  ConsentRequirement,
  Jurisdiction,
  OnUnmet,
  Blocklist,
  Condition,
  ScoreCondition,
  SubjectCondition,
  RequestCondition,
} from './policy-schema.js';
export { buildPolicyJsonSchema, POLICY_SCHEMA_ID } from './policy-json-schema.js';
