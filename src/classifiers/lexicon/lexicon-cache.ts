import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compilePatterns, LEXICON_ENGINE_VERSION, type PatternCompilation } from './compile-lexicon.js';
import { decodeLexiconSnapshot, encodeLexiconSnapshot, SNAPSHOT_FORMAT } from './lexicon-snapshot.js';
import { lexiconFiles, parseLexicon } from './load-lexicons.js';

/**
 * The shipped lexicons take seconds to parse, validate and compile into an automaton; every
 * process that classifies would pay that at its first text (a CLI call, a gateway worker, a
 * serverless cold start, each test file). So the compiled result is kept on disk as a snapshot
 * (lexicon-snapshot.ts), keyed by a hash of everything it was compiled from, and a later process
 * loads it in a fraction of the time.
 *
 * The key covers the bytes of every lexicon file and of the compiler's own source files, so a
 * changed lexicon or a changed engine never reads an old snapshot. A snapshot that fails its
 * checksum, or cannot be read at all, is compiled afresh (and rewritten): the cache changes how
 * fast the lexicons load, never what they match. Writing goes to a temporary file renamed into
 * place, so concurrent processes never see half a file; a cache that cannot be written is skipped.
 *
 * Where: `SAFEROUTE_CACHE_DIR` if set (`off` disables the cache), else
 * `node_modules/.cache/saferoute/` in the package's own folder.
 */
export const CACHE_DIR_VARIABLE = 'SAFEROUTE_CACHE_DIR';

/** Snapshots kept per cache folder (one per lexicon version; older ones are removed). */
const KEEP = 3;
const PREFIX = 'lexicon-';
const SUFFIX = '.snap';

/** The package root: `src/classifiers/lexicon/` and `dist/classifiers/lexicon/` are three levels below it. */
const PACKAGE_ROOT = new URL('../../../', import.meta.url);

/** The cache folder to use: `false` when caching is off. */
export function lexiconCacheDir(env: NodeJS.ProcessEnv = process.env): string | false {
  const fromEnv = env[CACHE_DIR_VARIABLE];
  if (fromEnv != null) return ['', 'off', '0', 'false', 'no'].includes(fromEnv.trim().toLowerCase()) ? false : fromEnv;
  return join(fileURLToPath(PACKAGE_ROOT), 'node_modules', '.cache', 'saferoute');
}

/** The files whose bytes decide what compiling produces: this folder's modules and the two they read from outside it. */
function compilerSources(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  const own = readdirSync(here)
    .filter((n) => /\.(?:ts|js|mjs)$/.test(n) && !/\.(?:test|d)\.ts$/.test(n))
    .sort()
    .map((n) => join(here, n));
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return [...own, join(here, `../../taxonomy/categories.${ext}`), join(here, `../../util/canonical-json.${ext}`)];
}

/** The cache key of the shipped lexicons in `dir` as they are now. */
function cacheKey(files: ReadonlyArray<{ name: string; text: string }>): string {
  const h = createHash('sha256').update(`saferoute-lexicon-cache\0${SNAPSHOT_FORMAT}\0${LEXICON_ENGINE_VERSION}\0`);
  for (const f of files) h.update(`${f.name}\0${f.text.length}\0`).update(f.text).update('\0');
  for (const file of compilerSources()) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      bytes = Buffer.alloc(0);
    }
    h.update(`${file.slice(file.lastIndexOf('/') + 1)}\0${bytes.length}\0`).update(bytes);
  }
  return h.digest('hex').slice(0, 32);
}

/**
 * The cache file's bytes when it may be trusted: a regular file of this user's (or root's, as when
 * an image build warmed the cache) that nobody else can write. Checked on the open file, so it
 * cannot be swapped between the check and the read.
 */
function readTrusted(file: string): Buffer | undefined {
  const fd = openSync(file, 'r');
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    if (typeof process.getuid === 'function' && st.uid !== process.getuid() && st.uid !== 0) return undefined;
    // Windows reports every file as writable by all (0o666) and has no owners here: ACLs decide.
    if (process.platform !== 'win32' && (st.mode & 0o022) !== 0) return undefined;
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * The shipped lexicons in `dir`, compiled, from the cache when it holds them. Throws
 * `LexiconError` for a bad lexicon exactly as compiling does (a snapshot exists only of a set
 * that compiled).
 */
export function compileShippedLexicons(dir: string, cacheDir: string | false = lexiconCacheDir()): PatternCompilation {
  const files = lexiconFiles(dir);
  const compile = (): PatternCompilation => compilePatterns(files.map((f) => parseLexicon(f.text, f.file)));
  if (cacheDir === false) return compile();
  const key = cacheKey(files);
  const file = join(cacheDir, `${PREFIX}${key}${SUFFIX}`);
  try {
    const bytes = readTrusted(file);
    if (bytes) return decodeLexiconSnapshot(bytes);
  } catch {
    // Missing, unreadable, truncated or altered: compiled below, and written again.
  }
  const compiled = compile();
  writeSnapshot(cacheDir, file, compiled);
  return compiled;
}

function writeSnapshot(cacheDir: string, file: string, compiled: PatternCompilation): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o755 });
    writeFileSync(tmp, encodeLexiconSnapshot(compiled), { mode: 0o644 });
    renameSync(tmp, file);
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // never written
    }
    return;
  }
  prune(cacheDir);
}

/** Removes all but the newest KEEP snapshots (and temporary files older than an hour). */
function prune(cacheDir: string): void {
  try {
    const now = Date.now();
    const snaps: Array<{ path: string; mtime: number }> = [];
    for (const name of readdirSync(cacheDir)) {
      if (!name.startsWith(PREFIX)) continue;
      const path = join(cacheDir, name);
      const mtime = statSync(path).mtimeMs;
      if (name.endsWith(SUFFIX)) snaps.push({ path, mtime });
      else if (name.endsWith('.tmp') && now - mtime > 3_600_000) unlinkSync(path);
    }
    snaps.sort((a, b) => b.mtime - a.mtime);
    for (const s of snaps.slice(KEEP)) unlinkSync(s.path);
  } catch {
    // Pruning is housekeeping: another process may have removed the same files.
  }
}
