/** One line per event, JSON, on standard error by default. Never given a key, a prompt or an answer. */
export type GatewayLog = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export function createJsonLog(write: (line: string) => void = (line) => process.stderr.write(line)): GatewayLog {
  return (level, message, fields) => write(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }) + '\n');
}
