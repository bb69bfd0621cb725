import type { ClassifierResolver } from '../decision/policy-runtime.js';
import type { ConsoleConfig } from '../gateway/gateway-config.js';
import type { GatewayHost } from '../gateway/gateway-host.js';
import type { ConsoleSession, SessionCodec } from './console-session.js';
import type { LogStatusCache } from './log-status.js';

/** What every console page is served with. */
export interface ConsoleDeps {
  host: GatewayHost;
  config: ConsoleConfig;
  sessions: SessionCodec;
  logStatus: LogStatusCache;
  /** Classifiers for drafts (the live tenants decide with their own runtime). */
  classifiers: ClassifierResolver;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  now: () => Date;
}

/** Hono variables the console's middleware sets for its handlers. */
export interface ConsoleVariables {
  session: ConsoleSession;
  csrf: string;
}

export type ConsoleEnv = { Variables: ConsoleVariables };
