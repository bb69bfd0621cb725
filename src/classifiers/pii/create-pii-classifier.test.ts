import { describe, expect, it } from 'vitest';
import { describeClassifierContract } from '../classifier-contract.js';
import { createPiiClassifier } from './create-pii-classifier.js';

describeClassifierContract('pii', () => createPiiClassifier());

describe('pii classifier', () => {
  const classifier = createPiiClassifier();

  it('scores 1 for a validated item and gives typed evidence without the value', async () => {
    const text = 'Reach me at jane@example.com';
    const outcome = await classifier.classify({ text, stage: 'input' });
    expect(outcome.status).toBe('ok');
    if (outcome.status !== 'ok') return;
    expect(outcome.scores.pii).toBe(1);
    expect(outcome.evidence).toEqual([{ category: 'pii', start: 12, end: 28, match: 'email', source: 'pii' }]);
    expect(JSON.stringify(outcome.evidence)).not.toContain('jane');
  });

  it('scores weak signals below 1 and plain text 0', async () => {
    const weak = await classifier.classify({ text: 'ring 467 3395 later', stage: 'input' });
    const none = await classifier.classify({ text: 'What is the capital of France?', stage: 'input' });
    expect(weak.status === 'ok' && weak.scores.pii).toBeGreaterThan(0);
    expect(weak.status === 'ok' && weak.scores.pii).toBeLessThan(1);
    expect(none.status === 'ok' && none.scores.pii).toBe(0);
  });

  it('drops matches under minConfidence', async () => {
    const strict = createPiiClassifier({ minConfidence: 0.6 });
    const outcome = await strict.classify({ text: 'ring 467 3395 later', stage: 'input' });
    expect(outcome.status === 'ok' && outcome.scores.pii).toBe(0);
    expect(outcome.status === 'ok' && outcome.evidence).toEqual([]);
  });
});
