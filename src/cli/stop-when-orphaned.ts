/**
 * Started by npm (`npx saferoute serve`, an `npm run` script), a long-running command sits under
 * npm and a shell; npm does not pass SIGTERM on to it, so killing npx left the gateway running with
 * nobody to stop it. Under npm, this watches for the parent process going away and then calls
 * `stop` once (the command shuts down as on SIGTERM). Started otherwise (a service manager, a
 * container, `nohup`) it does nothing: being re-parented is normal there.
 */
export function stopWhenOrphaned(env: Readonly<Record<string, string | undefined>>, stop: () => void, everyMs = 1000): () => void {
  if (env.npm_lifecycle_event === undefined) return () => undefined;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    stop();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
