import { readFileSync } from 'node:fs';

// The package root is two levels up from src/cli/ and from dist/cli/ alike, in a clone and in an
// installed package, so the version printed is always the one npm installed.
const PACKAGE_JSON = new URL('../../package.json', import.meta.url);

let cached: string | undefined;

/** The `version` of the package.json at `url`, which must be saferoute's. */
export function readPackageVersion(url: URL): string {
  const parsed = JSON.parse(readFileSync(url, 'utf8')) as { name?: unknown; version?: unknown };
  if (parsed.name !== 'saferoute' || typeof parsed.version !== 'string') {
    throw new Error(`\`${url.pathname}\` is not saferoute's package.json`);
  }
  return parsed.version;
}

/** The version of saferoute's own package.json, read once. */
export function packageVersion(): string {
  cached ??= readPackageVersion(PACKAGE_JSON);
  return cached;
}
