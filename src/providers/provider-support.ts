import { ProviderConfigError } from './provider-error.js';

export interface ApiKeySource {
  apiKey?: string | undefined;
  apiKeyEnv?: string | undefined;
  env?: Readonly<Record<string, string | undefined>> | undefined;
}

/**
 * The key for one call: the configured key, else the named variable read now (so a key set after
 * start-up is picked up). A named variable that is unset fails closed before anything is sent.
 */
export function resolveApiKey(provider: string, source: ApiKeySource): string | undefined {
  if (source.apiKey != null && source.apiKey !== '') return source.apiKey;
  if (source.apiKeyEnv == null) return undefined;
  const value = (source.env ?? process.env)[source.apiKeyEnv];
  if (value == null || value.trim() === '') {
    throw new ProviderConfigError(`the ${provider} API key variable \`${source.apiKeyEnv}\` is not set: set it in the environment of the process that calls the model (the app, \`saferoute chat\` or \`saferoute serve\`), or name another variable in the target's \`apiKeyEnv\``, { variable: source.apiKeyEnv });
  }
  return value.trim();
}

/** `fetch failed` says nothing; the cause chain holds `ECONNRESET`, `ECONNREFUSED`, … */
export function describeCause(cause: unknown): string {
  const parts: string[] = [];
  for (let c = cause, depth = 0; c instanceof Error && depth < 4; c = c.cause, depth++) {
    const code = (c as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${c.message} (${code})` : c.message);
  }
  return parts.length > 0 ? `: ${parts.join(': ')}` : '';
}

/** An error text without the API key: the key itself, and anything shaped like an OpenAI key. */
export function redactApiKey(key: string, text: string): string {
  return (key.length > 4 ? text.split(key).join('[redacted]') : text).replace(/\bsk-[A-Za-z0-9_*.-]{3,}/g, 'sk-[redacted]');
}
