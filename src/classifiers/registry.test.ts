import { describe, expect, it } from 'vitest';
import { SaferouteError } from '../errors.js';
import { createScriptedClassifier } from './decorators/scripted-classifier.js';
import { createClassifierRegistry, defaultClassifierFactories } from './registry.js';

const factories = () => {
  let made = 0;
  return {
    count: () => made,
    factories: {
      embedded: () => (made++, createScriptedClassifier({ id: 'embedded', categories: ['sexual', 'hate'] })),
      'openai-moderation': () => (made++, createScriptedClassifier({ id: 'openai-moderation', categories: ['sexual', 'hate'] })),
      'llama-guard': () => (made++, createScriptedClassifier({ id: 'llama-guard', categories: ['sexual'] })),
    },
  };
};

describe('createClassifierRegistry', () => {
  it('creates each classifier once, on first use', () => {
    const f = factories();
    const registry = createClassifierRegistry(f.factories);
    expect(f.count()).toBe(0);
    const a = registry.get('embedded');
    expect(registry.get(' embedded ')).toBe(a);
    expect(a.id).toBe('embedded');
    expect(f.count()).toBe(1);
    expect(registry.names()).toEqual(['embedded', 'llama-guard', 'openai-moderation']);
    expect(registry.has('embedded')).toBe(true);
    expect(registry.has('toString')).toBe(false);
  });

  it('builds a cascade from a spec, reusing the named instances', async () => {
    const f = factories();
    const registry = createClassifierRegistry(f.factories, { cascade: { uncertain: { low: 0.3, high: 0.7 } } });
    const cascade = registry.get('embedded > openai-moderation');
    expect(cascade.id).toBe('cascade(embedded>openai-moderation)');
    expect(registry.get('embedded>openai-moderation')).toBe(cascade);
    expect(registry.get('embedded')).toBe(registry.get('embedded'));
    expect(f.count()).toBe(2);
    const outcome = await cascade.classify({ text: '[[embedded:sexual=0.5]] [[openai-moderation:sexual=0.9]]', stage: 'input' });
    expect(outcome).toMatchObject({ status: 'ok', scores: { sexual: 0.9 }, decidedBy: { sexual: 'openai-moderation' } });
  });

  it('throws classifier_unknown with a did-you-mean for a typo', () => {
    const registry = createClassifierRegistry(factories().factories);
    const attempt = (spec: string) => {
      try {
        registry.get(spec);
      } catch (error) {
        return error;
      }
      throw new Error(`\`${spec}\` resolved`);
    };
    const typo = attempt('embeded');
    expect(typo).toBeInstanceOf(SaferouteError);
    expect(typo).toMatchObject({ code: 'classifier_unknown', message: expect.stringContaining('did you mean `embedded`?') });
    expect(attempt('embedded>lama-guard')).toMatchObject({
      message: expect.stringMatching(/unknown classifier `lama-guard` in `embedded>lama-guard`; did you mean `llama-guard`/),
    });
    expect(attempt('zzzzzzzzzz')).toMatchObject({ code: 'classifier_unknown', message: expect.not.stringContaining('did you mean') });
    expect(attempt('embedded>')).toMatchObject({ code: 'classifier_unknown', message: expect.stringContaining('empty name') });
    expect(attempt('__proto__')).toMatchObject({ code: 'classifier_unknown' });
  });

  it('rejects names that could not appear in a spec', () => {
    expect(() => createClassifierRegistry({ 'a>b': () => createScriptedClassifier({ categories: ['hate'] }) })).toThrow(SaferouteError);
  });
});

describe('defaultClassifierFactories', () => {
  it('configures the remote classifiers from the environment, without calling them', () => {
    const registry = createClassifierRegistry(
      defaultClassifierFactories({ SAFEROUTE_LLAMA_GUARD_MODEL: 'llama-guard3:1b', SAFEROUTE_OPENAI_MODERATION_MODEL: 'text-moderation-latest' }),
    );
    expect(registry.get('llama-guard')).toMatchObject({ id: 'llama-guard', version: 'llama-guard3:1b' });
    expect(registry.get('openai-moderation')).toMatchObject({ id: 'openai-moderation', version: 'text-moderation-latest' });
    expect(registry.get('pii').categories).toEqual(['pii']);
  });

  it('reports a missing key as a config failure naming the variable', async () => {
    const registry = createClassifierRegistry(defaultClassifierFactories({}));
    const outcome = await registry.get('openai-moderation').classify({ text: 'hi', stage: 'input' });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'config', message: expect.stringContaining('`OPENAI_API_KEY`') } });
  });
});
