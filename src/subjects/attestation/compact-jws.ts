import { findDuplicateKey } from './duplicate-keys.js';
import type { AttestationRejection } from './attestation-result.js';

export interface DecodedJws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** The exact bytes the signature covers: `BASE64URL(header).BASE64URL(payload)`. */
  signingInput: Buffer;
  signature: Buffer;
}

export type DecodeResult = { ok: true; jws: DecodedJws } | { ok: false; reason: AttestationRejection; detail: string };

const B64URL = /^[A-Za-z0-9_-]*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeJsonObject(
  segment: string,
  what: 'header' | 'payload',
): { ok: true; value: Record<string, unknown> } | { ok: false; reason: AttestationRejection; detail: string } {
  if (segment.length === 0 || !B64URL.test(segment)) return { ok: false, reason: 'malformed', detail: `${what} is not base64url` };
  let text: string;
  try {
    text = utf8.decode(Buffer.from(segment, 'base64url'));
  } catch {
    return { ok: false, reason: 'malformed', detail: `${what} is not UTF-8` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'malformed', detail: `${what} is not JSON` };
  }
  if (typeof value !== 'object' || value == null || Array.isArray(value)) {
    return { ok: false, reason: 'malformed', detail: `${what} is not a JSON object` };
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate != null) {
    return what === 'payload'
      ? { ok: false, reason: 'duplicate_claims', detail: `claim \`${duplicate}\` occurs more than once` }
      : { ok: false, reason: 'malformed', detail: `header parameter \`${duplicate}\` occurs more than once` };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/**
 * Splits and decodes a JWS compact serialisation without trusting any of it yet. The size is
 * checked before anything else is done with the string.
 */
export function decodeCompactJws(token: unknown, maxBytes: number): DecodeResult {
  if (typeof token !== 'string') return { ok: false, reason: 'malformed', detail: 'token is not a string' };
  if (token.length > maxBytes) return { ok: false, reason: 'too_large', detail: `token is ${token.length} bytes, the limit is ${maxBytes}` };
  const parts = token.split('.');
  if (parts.length === 5) return { ok: false, reason: 'malformed', detail: 'encrypted tokens (JWE) are not accepted' };
  if (parts.length !== 3) return { ok: false, reason: 'malformed', detail: 'not a compact JWS (expected 3 dot-separated parts)' };
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJsonObject(h, 'header');
  if (!header.ok) return header;
  const payload = decodeJsonObject(p, 'payload');
  if (!payload.ok) return payload;
  if (!B64URL.test(s)) return { ok: false, reason: 'malformed', detail: 'signature is not base64url' };
  return {
    ok: true,
    jws: {
      header: header.value,
      payload: payload.value,
      signingInput: Buffer.from(`${h}.${p}`, 'ascii'),
      signature: Buffer.from(s, 'base64url'),
    },
  };
}
