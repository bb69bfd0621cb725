import { describe, expect, it, vi } from 'vitest';
import { createCallDeadline } from './call-deadline.js';

describe('createCallDeadline', () => {
  it('tells onAbort listeners once, in order, when the first-answer time runs out', async () => {
    const deadline = createCallDeadline({ firstMs: 5 });
    const calls: string[] = [];
    deadline.onAbort(() => calls.push('a'));
    deadline.onAbort(() => calls.push('b'));
    expect(deadline.aborted).toBe(false);
    await new Promise((r) => setTimeout(r, 30));
    expect(deadline.aborted).toBe(true);
    expect(calls).toEqual(['a', 'b']);
    deadline.abort();
    expect(calls).toEqual(['a', 'b']);
    expect(String(deadline.failure('openai', undefined))).toContain('did not answer within 5 ms');
    deadline.dispose();
  });

  it('does not call a listener that was removed, and calls one added after the stop at once', () => {
    const deadline = createCallDeadline({ firstMs: 60_000 });
    const removed = vi.fn();
    const kept = vi.fn();
    deadline.onAbort(removed)();
    deadline.onAbort(kept);
    deadline.abort();
    expect(removed).not.toHaveBeenCalled();
    expect(kept).toHaveBeenCalledTimes(1);
    const late = vi.fn();
    deadline.onAbort(late);
    expect(late).toHaveBeenCalledTimes(1);
    deadline.dispose();
  });

  it('passes the caller abort to listeners and to a signal made before or after it', () => {
    const caller = new AbortController();
    const deadline = createCallDeadline({ signal: caller.signal, firstMs: 60_000 });
    const early = deadline.signal;
    const listener = vi.fn();
    deadline.onAbort(listener);
    caller.abort(new Error('gone'));
    expect(listener).toHaveBeenCalledTimes(1);
    expect(early.aborted).toBe(true);
    expect(deadline.aborted).toBe(true);
    expect((deadline.failure('openai', undefined) as Error).message).toBe('gone');
    deadline.dispose();

    const stopped = createCallDeadline({ firstMs: 60_000 });
    stopped.abort();
    expect(stopped.signal.aborted).toBe(true);
    stopped.dispose();
  });

  it('an already aborted caller signal stops the call before anything is sent', () => {
    const caller = new AbortController();
    caller.abort();
    const deadline = createCallDeadline({ signal: caller.signal, firstMs: 60_000 });
    expect(deadline.aborted).toBe(true);
    const listener = vi.fn();
    deadline.onAbort(listener);
    expect(listener).toHaveBeenCalledTimes(1);
    deadline.dispose();
  });
});
