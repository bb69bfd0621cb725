/** ANSI styling only on a terminal and never when NO_COLOR is set (https://no-color.org). */
export function createStyle(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv) {
  const on = Boolean(stream.isTTY) && env.NO_COLOR == null && env.TERM !== 'dumb';
  const wrap = (code: string) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);
  return { red: wrap('31'), green: wrap('32'), yellow: wrap('33'), dim: wrap('2'), bold: wrap('1') };
}
export type Style = ReturnType<typeof createStyle>;
