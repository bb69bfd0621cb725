import { z } from 'zod';
import { AGE_METHODS, ASSURANCE_LEVELS, CONSENT_STATES, type SubjectContext } from '../subjects/subject-context.js';

const isoTime = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'an ISO 8601 time such as `2026-10-01T00:00:00Z`');

/** The subject as the CLI and the HTTP API accept it (plain data, not yet trusted). */
export const SubjectInputSchema = z
  .object({
    id: z.string().min(1).optional(),
    jurisdiction: z
      .string()
      .regex(/^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$/, 'an ISO 3166-1 alpha-2 code such as `GB` or `US-UT`')
      .optional(),
    jurisdictionSource: z.enum(['declared', 'account', 'header', 'attestation', 'unknown']).optional(),
    age: z
      .object({
        over: z.number().int().min(0).max(150),
        method: z.enum(AGE_METHODS),
        level: z.enum(ASSURANCE_LEVELS),
        verifiedAt: isoTime,
        expiresAt: isoTime.optional(),
        issuer: z.string().optional(),
        attestationId: z.string().optional(),
      })
      .strict()
      .optional(),
    consents: z
      .array(
        z
          .object({
            scope: z.string().min(1),
            version: z.string().regex(/^\d+\.\d+\.\d+$/, 'a semantic version such as `2.0.0`'),
            state: z.enum(CONSENT_STATES),
            at: isoTime,
            expiresAt: isoTime.optional(),
            recordId: z.string().optional(),
            noticeSha256: z.string().optional(),
          })
          .strict(),
      )
      .optional(),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .strict();

export type SubjectParseResult = { ok: true; subject: SubjectContext } | { ok: false; issues: string[] };

/** Validates a subject given as plain JSON; every problem is reported with its path. */
export function parseSubjectInput(value: unknown): SubjectParseResult {
  const r = SubjectInputSchema.safeParse(value, { reportInput: true });
  if (!r.success) {
    return {
      ok: false,
      issues: r.error.issues.map((i) => `${i.path.length ? '/' + i.path.join('/') : '/'}: ${subjectIssueMessage(i)}`),
    };
  }
  const subject = r.data as SubjectContext;
  if (subject.jurisdiction) subject.jurisdiction = subject.jurisdiction.toUpperCase();
  return { ok: true, subject };
}

/** zod's message, except for a property that is not there: "missing required property `method`" (with the values it takes). */
function subjectIssueMessage(issue: z.core.$ZodIssue): string {
  const name = issue.path.at(-1);
  if (!('input' in issue) || issue.input !== undefined || (issue.code !== 'invalid_type' && issue.code !== 'invalid_value') || name === undefined) return issue.message;
  const values = issue.code === 'invalid_value' ? ` (one of ${issue.values.map((v) => `\`${String(v)}\``).join(', ')})` : '';
  return `missing required property \`${String(name)}\`${values}`;
}
