/**
 * Failed logins per client address: after `max` failures within `windowMs` the address must wait
 * until the window ends. Keys are long random values, so this is about noise and log volume more
 * than guessing; memory is bounded by dropping the oldest addresses.
 */
export interface LoginThrottle {
  /** Milliseconds to wait before trying again, or 0. */
  retryAfter(address: string, now: number): number;
  failed(address: string, now: number): void;
  succeeded(address: string): void;
}

export function createLoginThrottle(max = 10, windowMs = 60_000, maxAddresses = 10_000): LoginThrottle {
  const failures = new Map<string, { count: number; since: number }>();
  return {
    retryAfter(address, now) {
      const f = failures.get(address);
      if (!f || now - f.since >= windowMs) return 0;
      return f.count >= max ? f.since + windowMs - now : 0;
    },
    failed(address, now) {
      const f = failures.get(address);
      if (!f || now - f.since >= windowMs) {
        failures.delete(address);
        failures.set(address, { count: 1, since: now });
        if (failures.size > maxAddresses) failures.delete(failures.keys().next().value as string);
      } else f.count++;
    },
    succeeded(address) {
      failures.delete(address);
    },
  };
}
