/** A URL for messages: the password masked, or a fixed word when it does not parse. */
export function redactUrl(url: string, fallback = 'postgresql'): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return fallback;
  }
}
