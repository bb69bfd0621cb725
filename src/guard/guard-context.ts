import type { SubjectContext } from '../subjects/subject-context.js';

/** Who is asking and from where: what a guarded call is decided for, besides the request. */
export interface GuardContext {
  /** The subject as plain data, used as-is when the guard has no subject resolver. */
  subject?: SubjectContext;
  /** The application's id of the subject (pseudonymised in the audit trail). */
  subjectId?: string;
  /** A signed age attestation (JWT) for the subject resolver to verify. */
  attestationToken?: string;
  /** ISO 3166 region code, e.g. from the account or an edge header. */
  jurisdiction?: string;
  tenant?: string;
  /** The caller's id of this request, kept in its audit records (e.g. a gateway's `x-request-id`). */
  requestId?: string;
  app?: string;
  /** Free request attributes a rule can test (`request: "metadata.NAME"`). */
  metadata?: Record<string, string | number | boolean>;
  /** Cancels the call: classification, the upstream request and the stream. */
  signal?: AbortSignal;
}

/** Turns a context into a verified subject (attestation checked, consent loaded) as of `at`. */
export interface SubjectResolver {
  resolve(context: GuardContext, at: Date): Promise<SubjectContext>;
}
