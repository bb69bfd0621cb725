import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess as cli } from '../../tests/support/run-cli-in-process.js';
import { readPackageVersion } from './package-version.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function packageJson(content: object): URL {
  const dir = mkdtempSync(join(tmpdir(), 'saferoute-version-'));
  dirs.push(dir);
  const file = join(dir, 'package.json');
  writeFileSync(file, JSON.stringify(content));
  return pathToFileURL(file);
}

describe('saferoute --version', () => {
  it('prints the version of the package.json it ships with', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const r = await cli([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
    }
  });

  it('reads whatever version that package.json holds, not a copy in the code', () => {
    expect(readPackageVersion(packageJson({ name: 'saferoute', version: '7.3.1-rc.2' }))).toBe('7.3.1-rc.2');
    expect(() => readPackageVersion(packageJson({ name: 'my-app', version: '1.0.0' }))).toThrow(/is not saferoute's package.json/);
  });
});
