import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { readJsonFile } from '../../policy/read-json-file.js';

/**
 * Whether a file named to `saferoute validate` is a policy-tests file (`*.tests.json`, or a JSON
 * document whose `$schema` names policy-tests.schema.json) rather than a policy. Unreadable or
 * unparsable files are not: `loadPolicy` reports those properly. Only regular files are looked
 * into (bounded, as the loader reads them): a pipe read here would be empty for the loader, and a
 * device would never end.
 */
export async function isPolicyTestsFile(path: string): Promise<boolean> {
  if (basename(path).toLowerCase().endsWith('.tests.json')) return true;
  const isFile = await stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!isFile) return false;
  const read = await readJsonFile(path, { strict: true, maxBytes: 4 * 1024 * 1024 });
  if (!read.ok) return false;
  let doc: unknown;
  try {
    doc = JSON.parse(read.text) as unknown;
  } catch {
    return false;
  }
  const schema = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as { $schema?: unknown }).$schema : undefined;
  return typeof schema === 'string' && /(^|[/\\])policy-tests\.schema\.json([#?].*)?$/.test(schema);
}
