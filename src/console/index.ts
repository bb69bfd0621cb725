export { createConsole, SESSION_COOKIE } from './create-console.js';
export type { ConsoleOptions, GatewayConsole } from './create-console.js';
export { createSessionCodec } from './console-session.js';
export type { ConsoleSession, SessionCodec } from './console-session.js';
export { consoleRoleOf } from './console-scopes.js';
export type { ConsoleRole } from './console-scopes.js';
