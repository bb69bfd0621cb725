import type { GuardObserver } from './guard-events.js';

type Hook = Exclude<keyof GuardObserver, 'observerError'>;
type EventOf<K extends Hook> = Parameters<NonNullable<GuardObserver[K]>>[0];

/**
 * Several observers as one, each called in turn; whatever one throws (or rejects, for an async
 * `onDecision`) is reported to every observer's `observerError` and to `onError`, never to the
 * request. Observability is never on the fail-closed path.
 */
export function combineObservers(observers: readonly (GuardObserver | undefined)[], onError?: (where: string, error: unknown) => void): Required<Omit<GuardObserver, 'observerError'>> {
  const list = observers.filter((o): o is GuardObserver => o != null);
  const report = (where: string, error: unknown): void => {
    for (const o of list) {
      try {
        o.observerError?.(where, error);
      } catch {
        // An error reporter that fails has nobody left to report to.
      }
    }
    try {
      onError?.(where, error);
    } catch {
      // Same.
    }
  };
  const call = <K extends Hook>(hook: K) => (event: EventOf<K>): void => {
    for (const o of list) {
      const fn = o[hook] as ((e: EventOf<K>) => unknown) | undefined;
      if (!fn) continue;
      try {
        const result = fn.call(o, event);
        if (result != null && typeof (result as Promise<unknown>).then === 'function') {
          (result as Promise<unknown>).then(undefined, (error: unknown) => report(hook, error));
        }
      } catch (error) {
        report(hook, error);
      }
    }
  };
  return {
    decision: call('decision'),
    providerCall: call('providerCall'),
    auditAppend: call('auditAppend'),
    classifierCall: call('classifierCall'),
    stream: call('stream'),
  };
}
