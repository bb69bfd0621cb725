import type { PositionKind } from './source-map.js';

/** A problem found by a semantic check, at a pointer of the merged document. */
export interface SemanticFinding {
  pointer: string;
  kind: PositionKind;
  severity: 'error' | 'warning';
  message: string;
  hint?: string;
}

export function semanticFinding(
  pointer: string,
  message: string,
  options: { kind?: PositionKind; severity?: 'error' | 'warning'; hint?: string | undefined } = {},
): SemanticFinding {
  const f: SemanticFinding = { pointer, kind: options.kind ?? 'value', severity: options.severity ?? 'error', message };
  if (options.hint != null) f.hint = options.hint;
  return f;
}
