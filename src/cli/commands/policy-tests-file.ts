import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

/**
 * Whether a file named to `saferoute validate` is a policy-tests file (`*.tests.json`, or a JSON
 * document whose `$schema` names policy-tests.schema.json) rather than a policy. Unreadable or
 * unparsable files are not: `loadPolicy` reports those properly.
 */
export async function isPolicyTestsFile(path: string): Promise<boolean> {
  if (basename(path).toLowerCase().endsWith('.tests.json')) return true;
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch {
    return false;
  }
  const schema = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as { $schema?: unknown }).$schema : undefined;
  return typeof schema === 'string' && /(^|[/\\])policy-tests\.schema\.json([#?].*)?$/.test(schema);
}
