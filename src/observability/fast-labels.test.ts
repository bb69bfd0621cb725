import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { fastCounter, fastGauge, fastHistogram } from './fast-labels.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];

function metrics(registry: Registry) {
  return {
    counter: new Counter({ name: 'c_total', help: 'c', labelNames: ['a', 'b'] as const, registers: [registry] }),
    gauge: new Gauge({ name: 'g', help: 'g', labelNames: ['a'] as const, registers: [registry] }),
    histogram: new Histogram({ name: 'h_seconds', help: 'h', labelNames: ['a'] as const, buckets: BUCKETS, registers: [registry] }),
  };
}

/** A fixed pseudo-random sequence of updates over a few label sets, values on and past the bounds. */
function updates(): { a: string; b: string; value: number; by: number }[] {
  let x = 7;
  const next = (): number => (x = (x * 48271) % 2147483647) / 2147483647;
  const values = [0, 0.001, 0.0005, 0.01, 0.5, 1, 3, 1e-9];
  return Array.from({ length: 500 }, () => ({ a: ['x', 'y', 'z"q', ''][Math.floor(next() * 4)]!, b: ['1', '2'][Math.floor(next() * 2)]!, value: values[Math.floor(next() * values.length)]!, by: next() < 0.5 ? 1 : 3 }));
}

describe('fast label sets over prom-client metrics', () => {
  it('give the same exposition and JSON (what workers aggregate) as the metrics API, through a reset and a remove', async () => {
    const plainRegistry = new Registry();
    const fastRegistry = new Registry();
    const plain = metrics(plainRegistry);
    const fast = metrics(fastRegistry);
    const inc = fastCounter(fast.counter);
    const gauge = fastGauge(fast.gauge);
    const observe = fastHistogram(fast.histogram, BUCKETS);
    const apply = (list: ReturnType<typeof updates>): void => {
      for (const u of list) {
        plain.counter.inc({ a: u.a, b: u.b }, u.by);
        inc(`${u.a}\u0001${u.b}`, () => ({ a: u.a, b: u.b }), u.by);
        plain.gauge.inc({ a: u.a }, u.by === 1 ? 1 : -1);
        gauge(u.a, () => ({ a: u.a }), u.by === 1 ? 1 : -1);
        plain.histogram.observe({ a: u.a }, u.value);
        observe(u.a, () => ({ a: u.a }), u.value);
      }
    };
    const list = updates();
    apply(list);
    expect(await fastRegistry.metrics()).toBe(await plainRegistry.metrics());
    expect(await fastRegistry.metrics()).toContain('h_seconds_bucket{le="0.001",a="x"}');

    // A reset or a removed label set replaces prom-client's state: the next updates must land in the new one.
    plainRegistry.resetMetrics();
    fastRegistry.resetMetrics();
    plain.histogram.remove({ a: 'y' });
    fast.histogram.remove({ a: 'y' });
    apply(list.slice(0, 200));
    expect(await fastRegistry.metrics()).toBe(await plainRegistry.metrics());
    expect(await fastRegistry.getMetricsAsJSON()).toEqual(await plainRegistry.getMetricsAsJSON());
  });

  it('refuses a value prom-client refuses', () => {
    const { histogram } = metrics(new Registry());
    const observe = fastHistogram(histogram, BUCKETS);
    observe('x', () => ({ a: 'x' }), 0.1);
    expect(() => observe('x', () => ({ a: 'x' }), Number.NaN)).toThrow(TypeError);
  });
});
