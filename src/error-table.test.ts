import { describe, expect, it } from 'vitest';
import { HTTP_STATUS, httpStatusFor, isRetryable } from './error-table.js';
import { InputError, SaferouteError, UsageError } from './errors.js';
import { EXIT, EXIT_CODE, exitCodeFor } from './cli/exit-codes.js';
import { ProviderConfigError, ProviderError } from './providers/provider-error.js';
import { AuditError } from './audit/audit-error.js';
import { ContentBlockedError } from './guard/content-blocked-error.js';

describe('httpStatusFor', () => {
  it('maps the codes a client causes to 4xx and the ones the server causes to 5xx', () => {
    expect(httpStatusFor(new InputError('bad'))).toBe(400);
    expect(httpStatusFor(new ContentBlockedError({ code: 'content_blocked', stage: 'input', reason: 'minors', message: 'no', decisionId: 'd', unmet: [] }))).toBe(403);
    expect(httpStatusFor(new SaferouteError('policy_invalid', 'x'))).toBe(500);
    expect(httpStatusFor(new ProviderConfigError('no key'))).toBe(500);
    expect(httpStatusFor(new ProviderError('openai', 'status', 'upstream 500', { status: 500 }))).toBe(502);
    expect(httpStatusFor(new AuditError('disk full'))).toBe(503);
  });

  it('answers 504 for an upstream that timed out', () => {
    expect(httpStatusFor(new ProviderError('openai', 'timeout', 'slow'))).toBe(504);
  });

  it('treats anything that is not a SaferouteError as a bug (500)', () => {
    expect(httpStatusFor(new TypeError('x'))).toBe(500);
    expect(httpStatusFor(undefined)).toBe(500);
  });

  it('accepts a bare code', () => {
    expect(httpStatusFor('input_invalid')).toBe(400);
    expect(httpStatusFor('no_such_code')).toBe(500);
  });

  it('has a status in the 4xx or 5xx range for every code, and the same codes as the exit table', () => {
    for (const status of Object.values(HTTP_STATUS)) expect(status >= 400 && status < 600).toBe(true);
    expect(Object.keys(HTTP_STATUS).sort()).toEqual(Object.keys(EXIT_CODE).sort());
  });
});

describe('isRetryable', () => {
  it('retries transient server-side failures only', () => {
    expect(isRetryable(new AuditError('disk full'))).toBe(true);
    expect(isRetryable(new ProviderError('openai', 'connection', 'refused'))).toBe(true);
    expect(isRetryable(new ProviderError('openai', 'status', 'busy', { status: 429 }))).toBe(true);
    expect(isRetryable(new ProviderError('openai', 'status', 'upstream 503', { status: 503 }))).toBe(true);
    expect(isRetryable(new ProviderError('openai', 'status', 'bad request', { status: 400 }))).toBe(false);
    expect(isRetryable(new InputError('bad'))).toBe(false);
    expect(isRetryable(new SaferouteError('policy_invalid', 'x'))).toBe(false);
    expect(isRetryable(new Error('bug'))).toBe(false);
  });
});

describe('exitCodeFor', () => {
  it('keeps the documented exit statuses', () => {
    expect(exitCodeFor(new UsageError('x'))).toBe(EXIT.usage);
    expect(exitCodeFor(new InputError('x'))).toBe(EXIT.invalid);
    expect(exitCodeFor(new SaferouteError('policy_invalid', 'x'))).toBe(EXIT.config);
    expect(exitCodeFor(new Error('bug'))).toBe(EXIT.internal);
  });
});
