import type { Counter, Gauge, Histogram } from 'prom-client';

type Labels = Record<string, string>;

/**
 * The state prom-client (15.x) keeps for one label set of a metric, in `metric.hashMap[hash]`:
 * what its own `get()` reads for the exposition and for the cluster aggregation.
 */
interface CounterSlot {
  labels: Labels;
  value: number;
}
interface HistogramSlot {
  labels: Labels;
  sum: number;
  count: number;
  bucketValues: Record<number, number>;
}

interface Cached<S> {
  hash: string;
  slot: S;
}

/**
 * The label sets a metric has seen, by a key the caller builds cheaply (its label values joined),
 * each held as the very object prom-client reads. A label set is created through the metric's
 * public API the first time; after that an update is a map lookup and an addition, instead of
 * prom-client validating the labels and hashing them again on every call. A `reset()` or
 * `remove()` of the metric replaces or drops the object, which the next call notices (and goes
 * through the public API again).
 */
function slots<S extends { labels: Labels }>(metric: object): { get(key: string): S | undefined; remember(key: string, labels: Labels): void } {
  const cache = new Map<string, Cached<S>>();
  const hashMap = (): Record<string, S> => (metric as { hashMap: Record<string, S> }).hashMap;
  return {
    get(key) {
      const hit = cache.get(key);
      return hit !== undefined && hashMap()[hit.hash] === hit.slot ? hit.slot : undefined;
    },
    remember(key, labels) {
      const names = Object.keys(labels);
      for (const [hash, slot] of Object.entries(hashMap())) {
        const seen = slot.labels;
        if (Object.keys(seen).length === names.length && names.every((n) => seen[n] === labels[n])) {
          cache.set(key, { hash, slot });
          return;
        }
      }
    },
  };
}

/** `counter.inc(labels(), by)` with the label set found by `key` (its label values, joined). */
export function fastCounter(counter: Counter<string>): (key: string, labels: () => Labels, by?: number) => void {
  const known = slots<CounterSlot>(counter);
  return (key, labels, by = 1) => {
    const slot = known.get(key);
    if (slot) {
      slot.value += by;
      return;
    }
    const l = labels();
    counter.inc(l, by);
    known.remember(key, l);
  };
}

/** `gauge.inc(labels(), by)` (a negative `by` decrements) with the label set found by `key`. */
export function fastGauge(gauge: Gauge<string>): (key: string, labels: () => Labels, by: number) => void {
  const known = slots<CounterSlot>(gauge);
  return (key, labels, by) => {
    const slot = known.get(key);
    if (slot) {
      slot.value += by;
      return;
    }
    const l = labels();
    gauge.inc(l, by);
    known.remember(key, l);
  };
}

/** `histogram.observe(labels(), value)` with the label set found by `key`; `buckets` as the histogram's. */
export function fastHistogram(histogram: Histogram<string>, buckets: readonly number[]): (key: string, labels: () => Labels, value: number) => void {
  const known = slots<HistogramSlot>(histogram);
  const bounds = [...buckets].sort((a, b) => a - b);
  return (key, labels, value) => {
    const slot = Number.isFinite(value) ? known.get(key) : undefined;
    if (slot) {
      slot.sum += value;
      slot.count += 1;
      // As prom-client counts it: in the first bucket whose bound holds it (none past the last: +Inf is the count).
      for (let i = 0; i < bounds.length; i++) {
        const bound = bounds[i]!;
        if (value <= bound) {
          slot.bucketValues[bound] = (slot.bucketValues[bound] ?? 0) + 1;
          break;
        }
      }
      return;
    }
    const l = labels();
    histogram.observe(l, value);
    known.remember(key, l);
  };
}
