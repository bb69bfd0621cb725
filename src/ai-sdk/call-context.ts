import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import type { GuardContext } from '../guard/guard-context.js';
import { InputError } from '../errors.js';

export type AiSdkContextOption = GuardContext | ((params: LanguageModelV3CallOptions) => GuardContext);

const KEYS = new Set(['subjectId', 'attestationToken', 'jurisdiction', 'tenant', 'app', 'metadata']);

/**
 * The guard context of one AI SDK call: the middleware's option, overridden by the call's own
 * `providerOptions.saferoute` (`generateText({ …, providerOptions: { saferoute: { subjectId,
 * attestationToken } } })`), with the call's abort signal. A verified `subject` cannot come from
 * call options: it must come from the app's code (the option) or a subject resolver.
 */
export function contextOf(params: LanguageModelV3CallOptions, option: AiSdkContextOption | undefined): GuardContext {
  const base = typeof option === 'function' ? option(params) : (option ?? {});
  const fromCall = params.providerOptions?.saferoute;
  const context: GuardContext = { ...base };
  if (fromCall != null) {
    for (const [key, value] of Object.entries(fromCall)) {
      if (!KEYS.has(key)) throw new InputError(`\`providerOptions.saferoute.${key}\` is not a context field (allowed: ${[...KEYS].map((k) => `\`${k}\``).join(', ')})`);
      if (value == null) continue;
      if (key === 'metadata') {
        if (typeof value !== 'object' || Array.isArray(value)) throw new InputError('`providerOptions.saferoute.metadata` must be an object');
        context.metadata = value as Record<string, string | number | boolean>;
      } else {
        if (typeof value !== 'string') throw new InputError(`\`providerOptions.saferoute.${key}\` must be a string`);
        (context as Record<string, unknown>)[key] = value;
      }
    }
  }
  const signals = [params.abortSignal, base.signal].filter((s): s is AbortSignal => s != null);
  if (signals.length > 0) context.signal = signals.length === 1 ? (signals[0] as AbortSignal) : AbortSignal.any(signals);
  return context;
}
