import type { ConsentEvent } from '../subject-context.js';

export type ConsentStatusState = 'given' | 'withdrawn' | 'expired' | 'none';

/** The state of one scope as of a moment, and which event established it. */
export interface ConsentStatus {
  scope: string;
  state: ConsentStatusState;
  /** Version of the notice the establishing event refers to; absent for `none`. */
  version?: string;
  /** ISO time the state began (the event's time, or the validity end for an elapsed consent). */
  since?: string;
  recordId?: string;
  expiresAt?: string;
  noticeSha256?: string;
}

/** On equal timestamps the stricter event is applied last, so it wins. */
const TIE_ORDER: Record<ConsentEvent['state'], number> = { given: 0, reaffirmed: 1, expired: 2, withdrawn: 3 };

function time(iso: string | undefined): number {
  return iso == null ? Number.NaN : Date.parse(iso);
}

/**
 * The consent state of `scope` as of `at`. Events after `at` are ignored; the rest are applied in
 * time order:
 * - `given` establishes consent (for its version, until its `expiresAt` if any);
 * - `reaffirmed` renews a current consent (its version and, if set, a new `expiresAt`); it cannot
 *   revive a withdrawn or elapsed one — that needs a new `given`;
 * - `withdrawn` and `expired` end it, from their own time on: a withdrawal 1 ms before a decision
 *   already applies to it.
 * An event whose time cannot be read is taken at its strictest: a withdrawal or expiry as already
 * in effect, a grant as never made.
 * The version is returned as is; whether it meets a policy's `minVersion` (a new major needs fresh
 * consent) is `consentVersionMeets`.
 */
export function consentStateAt(events: readonly ConsentEvent[], scope: string, at: Date | string): ConsentStatus {
  const now = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (!Number.isFinite(now)) return { scope, state: 'none' };
  const relevant: { event: ConsentEvent; t: number; i: number }[] = [];
  let forcedEnd: ConsentEvent | undefined;
  events.forEach((event, i) => {
    if (event.scope !== scope) return;
    const t = time(event.at);
    if (!Number.isFinite(t)) {
      if (event.state === 'withdrawn' || event.state === 'expired') forcedEnd ??= event;
      return;
    }
    if (t > now) return;
    relevant.push({ event, t, i });
  });
  if (forcedEnd != null) {
    const status: ConsentStatus = { scope, state: forcedEnd.state === 'withdrawn' ? 'withdrawn' : 'expired', version: forcedEnd.version };
    if (forcedEnd.recordId != null) status.recordId = forcedEnd.recordId;
    return status;
  }
  relevant.sort((a, b) => a.t - b.t || TIE_ORDER[a.event.state] - TIE_ORDER[b.event.state] || a.i - b.i);

  let status: ConsentStatus = { scope, state: 'none' };
  for (const { event, t } of relevant) {
    if (event.state === 'reaffirmed') {
      const current = status.state === 'given' && !(time(status.expiresAt) <= t);
      if (!current) continue;
      const next: ConsentStatus = { ...status, version: event.version, since: event.at };
      if (event.recordId != null) next.recordId = event.recordId;
      else delete next.recordId;
      if (event.expiresAt != null) next.expiresAt = event.expiresAt;
      if (event.noticeSha256 != null) next.noticeSha256 = event.noticeSha256;
      status = next;
      continue;
    }
    const next: ConsentStatus = {
      scope,
      state: event.state,
      version: event.version,
      since: event.at,
    };
    if (event.recordId != null) next.recordId = event.recordId;
    if (event.state === 'given') {
      if (event.expiresAt != null) next.expiresAt = event.expiresAt;
      if (event.noticeSha256 != null) next.noticeSha256 = event.noticeSha256;
    }
    status = next;
  }
  if (status.state === 'given' && status.expiresAt != null) {
    const end = time(status.expiresAt);
    // An unreadable end of validity counts as already passed.
    if (!Number.isFinite(end) || end <= now) {
      status = { ...status, state: 'expired', since: status.expiresAt };
    }
  }
  return status;
}
