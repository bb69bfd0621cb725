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
  const doc = await readSmallJsonObject(path);
  const schema = doc?.['$schema'];
  return typeof schema === 'string' && /(^|[/\\])policy-tests\.schema\.json([#?].*)?$/.test(schema);
}

/**
 * Whether a file named to `saferoute validate` is a gateway config (`saferoute.config.json`): its
 * `$schema` names gateway-config.schema.json, or it has `tenants` and none of a policy's `rules`
 * and `targets`. Such a file is checked as `saferoute serve --config` reads it, not as a policy.
 */
export async function isGatewayConfigFile(path: string): Promise<boolean> {
  const doc = await readSmallJsonObject(path);
  if (doc == null) return false;
  const schema = doc['$schema'];
  if (typeof schema === 'string' && /(^|[/\\])gateway-config\.schema\.json([#?].*)?$/.test(schema)) return true;
  return Array.isArray(doc['tenants']) && !('rules' in doc) && !('targets' in doc);
}

/** The JSON object in a regular file, read bounded as the loader reads it; `undefined` for anything else. */
async function readSmallJsonObject(path: string): Promise<Record<string, unknown> | undefined> {
  const isFile = await stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!isFile) return undefined;
  const read = await readJsonFile(path, { strict: true, maxBytes: 4 * 1024 * 1024 });
  if (!read.ok) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(read.text) as unknown;
  } catch {
    return undefined;
  }
  return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined;
}
