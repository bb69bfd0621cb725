export { createConsole } from './create-console.js';
export { SESSION_COOKIE } from './login-routes.js';
export type { ConsoleOptions, GatewayConsole } from './create-console.js';
export { createSessionCodec } from './console-session.js';
export type { ConsoleSession, SessionCodec } from './console-session.js';
export { consoleRoleOf } from './console-scopes.js';
export type { ConsoleRole } from './console-scopes.js';
