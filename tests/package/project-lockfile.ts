import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  [key: string]: unknown;
}

interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

/** Where node would find `name` from the package installed at `from` (`''` is the project root). */
function locate(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir === '' ? '' : dir + '/'}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (dir === '') return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}

/**
 * A package-lock.json for an empty project that depends on the packed tarball (and on the given
 * packages of the repository's own tree), taken from the repository's lock file: the same
 * versions, layout and integrity hashes, so `npm ci --offline` installs it from the npm cache
 * that `npm ci` filled, with no registry look-up.
 */
export function projectLockfile(options: {
  repoLockPath: string;
  repoPackageJsonPath: string;
  tarballFile: string;
  tarballPath: string;
  projectName: string;
  devDependencies: readonly string[];
}): { packageJson: object; lockfile: object } {
  const repoLock = JSON.parse(readFileSync(options.repoLockPath, 'utf8')) as Lockfile;
  const repoPackage = JSON.parse(readFileSync(options.repoPackageJsonPath, 'utf8')) as {
    name: string;
    version: string;
    license?: string;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
    bin?: Record<string, string>;
    engines?: Record<string, string>;
  };
  const packages = repoLock.packages;
  const keep = new Map<string, LockEntry>();
  const visit = (from: string, name: string, optional: boolean): void => {
    const at = locate(packages, from, name);
    if (at === undefined) {
      if (optional) return;
      throw new Error(`\`${name}\` (needed from \`${from || 'the root'}\`) is not in ${options.repoLockPath}`);
    }
    if (keep.has(at)) return;
    const entry = packages[at]!;
    keep.set(at, entry);
    for (const dep of Object.keys(entry.dependencies ?? {})) visit(at, dep, false);
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) visit(at, dep, true);
    for (const dep of Object.keys(entry.peerDependencies ?? {})) visit(at, dep, true);
  };
  for (const dep of Object.keys(repoPackage.dependencies ?? {})) visit('', dep, false);
  const prod = new Set(keep.keys());
  for (const dep of options.devDependencies) visit('', dep, false);

  const devDependencies = Object.fromEntries(
    options.devDependencies.map((name) => {
      const version = repoPackage.devDependencies?.[name];
      if (version === undefined) throw new Error(`\`${name}\` is not a devDependency of ${options.repoPackageJsonPath}`);
      return [name, version];
    }),
  );
  const spec = `file:${options.tarballFile}`;
  const integrity = `sha512-${createHash('sha512').update(readFileSync(options.tarballPath)).digest('base64')}`;
  const lockPackages: Record<string, LockEntry> = {
    '': { name: options.projectName, dependencies: { [repoPackage.name]: spec }, devDependencies },
    [`node_modules/${repoPackage.name}`]: {
      version: repoPackage.version,
      resolved: spec,
      integrity,
      ...(repoPackage.license !== undefined ? { license: repoPackage.license } : {}),
      dependencies: repoPackage.dependencies ?? {},
      ...(repoPackage.bin !== undefined ? { bin: repoPackage.bin } : {}),
      ...(repoPackage.engines !== undefined ? { engines: repoPackage.engines } : {}),
    },
  };
  for (const [path, entry] of [...keep].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const { dev: _dev, devOptional: _devOptional, optional, peer: _peer, ...rest } = entry;
    lockPackages[path] = { ...rest, ...(prod.has(path) ? (optional ? { optional } : {}) : { dev: true }) };
  }
  return {
    packageJson: { name: options.projectName, private: true, type: 'module', dependencies: { [repoPackage.name]: spec }, devDependencies },
    lockfile: { name: options.projectName, lockfileVersion: 3, requires: true, packages: lockPackages },
  };
}
