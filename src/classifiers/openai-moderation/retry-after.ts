/**
 * How long the server asked us to wait, in milliseconds, or `undefined` when it did not say.
 * `retry-after-ms` (OpenAI's own, finer) wins over `retry-after`, which is either delay-seconds
 * or an HTTP date (RFC 9110 §10.2.3). A date in the past means "now" (0).
 */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms != null) {
    const value = Number(ms.trim());
    if (ms.trim() !== '' && Number.isFinite(value) && value >= 0) return value;
  }
  const raw = headers.get('retry-after')?.trim();
  if (raw == null || raw === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw) * 1000;
  // An HTTP date names its day and month; without letters `Date.parse` would read `-3` as a year.
  if (!/[a-z]/i.test(raw)) return undefined;
  const at = Date.parse(raw);
  if (!Number.isFinite(at)) return undefined;
  return Math.max(0, at - now);
}
