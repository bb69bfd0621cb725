export type {
  ChatMessage,
  ChatParams,
  ChatProvider,
  FinishReason,
  ImagePart,
  ProviderCallOptions,
  ProviderCompletion,
  ProviderRequest,
  ProviderStream,
  ProviderStreamEvent,
  RefusalPart,
  TextPart,
  TokenUsage,
  ToolCall,
  ToolDefinition,
} from './chat-provider.js';
export { ProviderError, ProviderConfigError } from './provider-error.js';
export type { ProviderFailure } from './provider-error.js';
export { createOpenAIProvider } from './openai-provider.js';
export type { OpenAIProviderOptions } from './openai-provider.js';
export { createOpenAIHttpProvider, createUpstreamAgents } from './openai-http-provider.js';
export type { OpenAIHttpProviderOptions, UpstreamAgents } from './openai-http-provider.js';
export { createOllamaProvider, toOllamaMessages } from './ollama-provider.js';
export type { OllamaProviderOptions } from './ollama-provider.js';
export { createTargetProviders, createTargetProvider } from './create-target-providers.js';
export type { TargetProviderOptions } from './create-target-providers.js';
