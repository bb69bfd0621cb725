import { isIPv6 } from 'node:net';
import type { PiiMatch } from './pii-match.js';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
/** Not part of a longer dotted run (a version string like 1.2.3.4.5) or a longer number. */
const IPV4 = new RegExp(`(?<![\\d.])(?:${OCTET}\\.){3}${OCTET}(?!\\d|\\.\\d)`, 'g');
const IPV6_CANDIDATE = /(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])/g;
const VERSION_BEFORE = /(?:\bv|version\s*)$/i;

function ipv4Confidence(ip: string): number {
  const [a, b] = ip.split('.').map(Number) as [number, number];
  // Loopback, private and unspecified addresses identify no one on their own.
  if (a === 0 || a === 10 || a === 127 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31)) return 0.5;
  return 1;
}

export function findIpAddresses(text: string, out: PiiMatch[]): void {
  for (const m of text.matchAll(IPV4)) {
    if (VERSION_BEFORE.test(text.slice(Math.max(0, m.index - 10), m.index))) continue;
    out.push({ type: 'ip_address', start: m.index, end: m.index + m[0].length, confidence: ipv4Confidence(m[0]) });
  }
  if (!text.includes(':')) return;
  for (const m of text.matchAll(IPV6_CANDIDATE)) {
    const value = m[0];
    if (!isIPv6(value)) continue;
    // Require real content: `a::b` or a bare `::` is more likely code than an address.
    const groups = value.split(':').filter((g) => g !== '');
    if (groups.length < 3) continue;
    const lower = value.toLowerCase();
    const confidence = lower.startsWith('fe80:') ? 0.8 : 1;
    out.push({ type: 'ip_address', start: m.index, end: m.index + value.length, confidence });
  }
}
