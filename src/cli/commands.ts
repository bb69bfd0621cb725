import type { Command } from './command.js';
import { validateCommand } from './commands/validate.js';
import { testCommand } from './commands/test.js';
import { diffCommand } from './commands/diff.js';
import { policyKeygenCommand, policySignCommand, policyVerifyCommand } from './commands/policy-signing.js';
import { initCommand } from './commands/init.js';
import { checkCommand } from './commands/check.js';
import { demoCommand } from './commands/demo.js';
import { evalCommand } from './commands/eval.js';
import { chatCommand } from './commands/chat.js';
import { consentGrantCommand, consentWithdrawCommand, consentShowCommand } from './commands/consent.js';
import { attestInspectCommand } from './commands/attest.js';
import { keysApiCommand, keysGenerateCommand, keysSignCommand } from './commands/keys.js';
import { serveCommand } from './commands/serve.js';
import { migrateCommand } from './commands/migrate.js';
import { auditVerifyCommand } from './commands/audit-verify.js';
import { auditQueryCommand } from './commands/audit-query.js';
import { auditReportCommand } from './commands/audit-report.js';
import { auditKeygenCommand } from './commands/audit-keygen.js';
import { auditShowCommand } from './commands/audit-show.js';
import { auditArchiveCommand } from './commands/audit-archive.js';
import { replayCommand } from './commands/replay.js';

/** Every command, listed explicitly (nothing registers itself on import). */
export const COMMANDS: readonly Command[] = [
  validateCommand,
  testCommand,
  diffCommand,
  policyKeygenCommand,
  policySignCommand,
  policyVerifyCommand,
  initCommand,
  checkCommand,
  demoCommand,
  chatCommand,
  serveCommand,
  evalCommand,
  consentGrantCommand,
  consentWithdrawCommand,
  consentShowCommand,
  attestInspectCommand,
  keysGenerateCommand,
  keysSignCommand,
  keysApiCommand,
  migrateCommand,
  auditVerifyCommand,
  auditQueryCommand,
  auditReportCommand,
  auditKeygenCommand,
  auditShowCommand,
  auditArchiveCommand,
  replayCommand,
];
