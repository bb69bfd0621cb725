import type { Target } from '../policy/policy-schema.js';
import { withTargetName } from './with-target-name.js';
import type { ChatProvider } from './chat-provider.js';
import { createOllamaProvider } from './ollama-provider.js';
import { createOpenAIHttpProvider, type UpstreamAgents } from './openai-http-provider.js';
import { createOpenAIProvider } from './openai-provider.js';
import { ProviderConfigError } from './provider-error.js';

export interface TargetProviderOptions {
  /** Where key variables are read, at each call (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  timeoutMs?: number;
  idleTimeoutMs?: number;
  /** OpenAI SDK retries of the initial request (default 2). */
  maxRetries?: number;
  fetch?: typeof fetch;
  /**
   * Keep-alive pools: when given, OpenAI-compatible targets are called over `node:http` directly
   * (`createOpenAIHttpProvider`: no SDK, no retries) instead of through the `openai` package.
   */
  agents?: UpstreamAgents;
}

/**
 * One provider per policy target, built from its `provider`, `model`, `baseURL` and `apiKeyEnv`.
 * Nothing is checked or sent here: a target whose key variable is unset fails at its first call
 * (`provider_config`), so a guard can start with only the keys of the targets it will use.
 */
export function createTargetProviders(
  targets: Readonly<Record<string, Target>>,
  options: TargetProviderOptions = {},
): Record<string, ChatProvider> {
  const out: Record<string, ChatProvider> = {};
  for (const [name, target] of Object.entries(targets)) out[name] = createTargetProvider(name, target, options);
  return out;
}

export function createTargetProvider(targetName: string, target: Target, options: TargetProviderOptions = {}): ChatProvider {
  return target.provider === 'none' ? noModelProvider(targetName) : withTargetName(targetName, providerFor(target, options));
}

function providerFor(target: Target, options: TargetProviderOptions): ChatProvider {
  const common = {
    model: target.model,
    ...(target.apiKeyEnv != null ? { apiKeyEnv: target.apiKeyEnv } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.timeoutMs != null ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.idleTimeoutMs != null ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  switch (target.provider) {
    case 'openai':
      if (options.agents) return createOpenAIHttpProvider({ ...common, agents: options.agents, ...(target.baseURL != null ? { baseURL: target.baseURL } : {}) });
      return createOpenAIProvider({
        ...common,
        ...(target.baseURL != null ? { baseURL: target.baseURL } : {}),
        ...(options.maxRetries != null ? { maxRetries: options.maxRetries } : {}),
      });
    case 'ollama':
      return createOllamaProvider({ ...common, ...(target.baseURL != null ? { host: target.baseURL } : {}) });
    case 'none':
      throw new ProviderConfigError('a target with provider `none` has no model to call');
  }
}

/** A target with `provider: "none"` has no model: routing to it can only fail closed. */
function noModelProvider(targetName: string): ChatProvider {
  const fail = (): never => {
    throw new ProviderConfigError(`the target \`${targetName}\` has no model to call (provider \`none\`)`);
  };
  return { name: 'none', complete: async () => fail(), stream: async () => fail() };
}
