import { SaferouteError } from '../errors.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Quotes a schema or table name. Only plain lowercase identifiers are accepted, so a name from a
 * config file can never smuggle SQL in.
 */
export function quoteIdent(name: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new SaferouteError('config_invalid', `invalid PostgreSQL identifier \`${name}\`: use lowercase letters, digits and \`_\``);
  }
  return `"${name}"`;
}

/** `"schema"."table"`, or `"table"` when no schema is given (the connection's search_path decides). */
export function qualifiedName(table: string, schema?: string): string {
  return schema != null ? `${quoteIdent(schema)}.${quoteIdent(table)}` : quoteIdent(table);
}
