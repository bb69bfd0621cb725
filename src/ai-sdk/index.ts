// `saferoute/ai-sdk`: the guard for the Vercel AI SDK (ai@6, LanguageModelV3).
export { saferouteMiddleware } from './saferoute-middleware.js';
export type { SaferouteMiddlewareOptions } from './saferoute-middleware.js';
export { saferouteModel } from './saferoute-model.js';
export type { SaferouteModelOptions } from './saferoute-model.js';
export { callOptionsToChatRequest } from './call-options-to-chat-request.js';
export type { AiSdkContextOption } from './call-context.js';
export type { AiSdkOnBlock } from './checked-generate.js';
