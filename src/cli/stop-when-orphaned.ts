/**
 * Started by npm (`npx saferoute serve`, an `npm run` script), a long-running command sits under
 * npm and a shell; npm does not pass SIGTERM on to it, so killing npx left the gateway running with
 * nobody to stop it. Under npm, this watches for the process that started us (`parent`, read
 * first thing) going away and then calls `stop` once (the command shuts down as on SIGTERM).
 * Started otherwise (a service manager, a container, `nohup`), or with SAFEROUTE_NO_PARENT_WATCH=1
 * (an npm script that backgrounds the gateway on purpose), it does nothing. It sees the shell npm
 * started go, not npm itself: npm killed with SIGKILL leaves that shell, and the gateway, running.
 */
export function stopWhenOrphaned(env: Readonly<Record<string, string | undefined>>, parent: number, stop: () => void, everyMs = 1000): () => void {
  if (env.npm_lifecycle_event === undefined || env.SAFEROUTE_NO_PARENT_WATCH === '1') return () => undefined;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    stop();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
