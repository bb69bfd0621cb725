import type { GatewayScope } from '../gateway/gateway-config.js';

/** What a console session may do, from its key's scopes. */
export type ConsoleRole = 'auditor' | 'editor' | 'admin';

/**
 * The role a key's scopes give in the console, or undefined when they give none: `auditor` reads,
 * `editor` also drafts and saves policy revisions, `admin` does both for every tenant.
 * `chat`, `moderations` and `decide` alone never open the console.
 */
export function consoleRoleOf(scopes: ReadonlySet<GatewayScope>): ConsoleRole | undefined {
  if (scopes.has('admin')) return 'admin';
  if (scopes.has('editor')) return 'editor';
  if (scopes.has('auditor')) return 'auditor';
  return undefined;
}

export function canEdit(role: ConsoleRole): boolean {
  return role === 'editor' || role === 'admin';
}

/** An admin sees every tenant; others see their key's tenant only. */
export function canSeeTenant(session: { role: ConsoleRole; tenant: string }, tenant: string): boolean {
  return session.role === 'admin' || session.tenant === tenant;
}
