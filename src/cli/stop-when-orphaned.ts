import { readFileSync } from 'node:fs';

/**
 * Started by npm (`npx saferoute serve`, an `npm run` script), a long-running command sits under
 * npm and a shell; npm does not pass SIGTERM on to it, so killing npx left the gateway running with
 * nobody to stop it. Under npm, this watches the process that started us (`parent`, read first
 * thing) and, where /proc tells it (Linux), that process's own parent — npm itself, whose shell
 * outlives it when npm is killed with SIGKILL — and calls `stop` once either is gone (the command
 * shuts down as on SIGTERM). Started otherwise (a service manager, a container, `nohup`), or with
 * SAFEROUTE_NO_PARENT_WATCH=1 (an npm script that backgrounds the gateway on purpose), it does
 * nothing.
 */
export function stopWhenOrphaned(env: Readonly<Record<string, string | undefined>>, parent: number, stop: () => void, everyMs = 1000): () => void {
  if (env.npm_lifecycle_event === undefined || env.SAFEROUTE_NO_PARENT_WATCH === '1') return () => undefined;
  const grandparent = parentOf(parent);
  const timer = setInterval(() => {
    if (process.ppid === parent && (grandparent === undefined || parentOf(parent) === grandparent)) return;
    clearInterval(timer);
    stop();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** The parent of process `pid` (Linux /proc), or undefined where that cannot be read. */
function parentOf(pid: number): number | undefined {
  try {
    // `pid (comm) state ppid …`; comm may hold spaces and parentheses, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}
