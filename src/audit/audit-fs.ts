// The audit sink's names for the shared durable-file helpers (util/durable-fs.ts).
export { ensureDirectory, syncDirectory, writeFully, nodeDurableFs as nodeAuditFs } from '../util/durable-fs.js';
export type { DurableFs as AuditFs, DurableFileHandle as AuditFileHandle } from '../util/durable-fs.js';
