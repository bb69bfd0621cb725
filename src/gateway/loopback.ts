import { isIP } from 'node:net';

/** Whether a listen address only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/** A peer address as Node reports it (`::ffff:127.0.0.1` for IPv4 on a dual-stack socket), plain. */
export function plainAddress(address: string | undefined): string {
  if (address == null) return '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
