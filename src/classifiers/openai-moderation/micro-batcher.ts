export type BatchResult<O> = { status: 'done'; value: O } | { status: 'aborted' };

export interface MicroBatcherOptions<I, O> {
  /** A batch is sent as soon as it holds this many items. */
  maxSize: number;
  /** …or this long after its first item arrived; 0 still gathers the calls of one tick. */
  maxWaitMs: number;
  /**
   * Handles one batch: one output per item, in order. The signal aborts once every caller of the
   * batch has gone (aborted or timed out), so nobody pays for an answer nobody waits for.
   */
  run(items: readonly I[], signal: AbortSignal): Promise<readonly O[]>;
  /** Turns a rejected or malformed batch into the output each of its callers gets. */
  fail(error: unknown): O;
}

export interface MicroBatcher<I, O> {
  /** Never rejects: resolves with the item's output, or `aborted` as soon as `signal` aborts. */
  submit(item: I, signal?: AbortSignal): Promise<BatchResult<O>>;
}

interface Batch {
  controller: AbortController;
  live: number;
}

interface Waiter<I, O> {
  item: I;
  settle(result: BatchResult<O>): void;
  done: boolean;
  batch?: Batch;
}

/** Gathers concurrent calls made within a short window into one upstream request. */
export function createMicroBatcher<I, O>(options: MicroBatcherOptions<I, O>): MicroBatcher<I, O> {
  const maxSize = Math.max(1, Math.floor(options.maxSize));
  let queue: Waiter<I, O>[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let immediate: ReturnType<typeof setImmediate> | undefined;

  const cancelSchedule = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    if (immediate !== undefined) clearImmediate(immediate);
    timer = undefined;
    immediate = undefined;
  };

  const schedule = (): void => {
    if (timer !== undefined || immediate !== undefined) return;
    if (options.maxWaitMs > 0) timer = setTimeout(flush, options.maxWaitMs);
    else immediate = setImmediate(flush);
  };

  function flush(): void {
    cancelSchedule();
    const waiters = queue.splice(0, maxSize);
    if (queue.length > 0) schedule();
    if (waiters.length === 0) return;
    const batch: Batch = { controller: new AbortController(), live: waiters.length };
    for (const w of waiters) w.batch = batch;
    const finish = (outputs: readonly O[] | undefined, error?: unknown): void => {
      waiters.forEach((w, i) => {
        const value = outputs ? (outputs[i] as O) : options.fail(error);
        w.settle({ status: 'done', value });
      });
    };
    Promise.resolve()
      .then(() => options.run(waiters.map((w) => w.item), batch.controller.signal))
      .then(
        (outputs) => {
          if (!Array.isArray(outputs) || outputs.length !== waiters.length) {
            finish(undefined, new Error(`batch of ${waiters.length} answered with ${Array.isArray(outputs) ? outputs.length : 'no'} results`));
          } else finish(outputs);
        },
        (error: unknown) => finish(undefined, error),
      );
  }

  return {
    submit(item, signal) {
      if (signal?.aborted) return Promise.resolve({ status: 'aborted' });
      return new Promise<BatchResult<O>>((resolve) => {
        const onAbort = (): void => {
          if (waiter.done) return;
          waiter.settle({ status: 'aborted' });
          if (waiter.batch) {
            waiter.batch.live -= 1;
            if (waiter.batch.live === 0) waiter.batch.controller.abort();
          } else {
            queue = queue.filter((w) => w !== waiter);
            if (queue.length === 0) cancelSchedule();
          }
        };
        const waiter: Waiter<I, O> = {
          item,
          done: false,
          settle(result) {
            if (waiter.done) return;
            waiter.done = true;
            signal?.removeEventListener('abort', onAbort);
            resolve(result);
          },
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(waiter);
        if (queue.length >= maxSize) flush();
        else schedule();
      });
    },
  };
}
