/** The chain fields of a record, as `JSON.parse` would give them. */
export interface CanonicalFields {
  v: unknown;
  writer: unknown;
  epoch: unknown;
  seq: unknown;
  ts: unknown;
  prev: unknown;
  kind: unknown;
  /** `true` on a shadow decision (a candidate policy's verdict), else absent. */
  shadow?: unknown;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const MAX_DEPTH = 64;

/**
 * Reads the chain fields of a decision record from the bytes it hashes (`{...}`, without the
 * hash member) when those bytes are canonical JSON (RFC 8785) in the plain subset the writer
 * produces: printable ASCII, no escapes but `\"` and `\\` (none in keys), keys strictly
 * increasing, numbers in their shortest form, no top-level `hash`, and kind `decision`. Then the
 * stored line parses to exactly these fields, and its bytes are canonical: the verifier needs no
 * `JSON.parse` and no re-canonicalisation. Returns `undefined` for anything else (the caller then
 * parses the line and decides), so a record whose bytes are not canonical never passes here.
 */
export function readCanonicalFields(b: Buffer, end: number): CanonicalFields | undefined {
  if (end < 2 || b[0] !== LBRACE || b[end - 1] !== RBRACE) return undefined;
  const fields: CanonicalFields = { v: undefined, writer: undefined, epoch: undefined, seq: undefined, ts: undefined, prev: undefined, kind: undefined };
  let i = 1;
  let pks = -1;
  let pke = -1;
  for (;;) {
    if (b[i] !== QUOTE) return undefined;
    const ks = i + 1;
    const ke = keyEnd(b, ks, end);
    if (ke < 0 || (pks >= 0 && compareBytes(b, pks, pke, ks, ke) >= 0) || b[ke + 1] !== COLON) return undefined;
    pks = ks;
    pke = ke;
    const vs = ke + 2;
    i = value(b, vs, end, 1);
    if (i < 0) return undefined;
    if (ke - ks <= 6) {
      const field = chainField(b, ks, ke);
      if (field === 'hash') return undefined;
      if (field !== undefined) {
        const read = scalar(b, vs, i);
        if (read === NOT_SCALAR) return undefined;
        fields[field] = read;
      }
    }
    const c = b[i];
    if (c === RBRACE) break;
    if (c !== COMMA) return undefined;
    i++;
  }
  if (i !== end - 1 || fields.kind !== 'decision') return undefined;
  return fields;
}

/** The index just past the value at `i`, or -1. */
function value(b: Buffer, i: number, end: number, depth: number): number {
  const c = b[i] as number;
  if (c === QUOTE) return stringEnd(b, i + 1, end);
  if (c === LBRACE) return objectEnd(b, i + 1, end, depth + 1);
  if (c === LBRACKET) return arrayEnd(b, i + 1, end, depth + 1);
  if (c === MINUS || (c >= 0x30 && c <= 0x39)) return numberEnd(b, i, end);
  if (c === 0x74) return b[i + 1] === 0x72 && b[i + 2] === 0x75 && b[i + 3] === 0x65 ? i + 4 : -1;
  if (c === 0x66) return b[i + 1] === 0x61 && b[i + 2] === 0x6c && b[i + 3] === 0x73 && b[i + 4] === 0x65 ? i + 5 : -1;
  if (c === 0x6e) return b[i + 1] === 0x75 && b[i + 2] === 0x6c && b[i + 3] === 0x6c ? i + 4 : -1;
  return -1;
}

/** A string's content from `i`: the index past its closing quote, or -1. */
function stringEnd(b: Buffer, i: number, end: number): number {
  for (; i < end; i++) {
    const c = b[i] as number;
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) {
      const e = b[++i];
      if (e !== QUOTE && e !== BACKSLASH) return -1;
    } else if (c < 0x20 || c > 0x7e) {
      return -1;
    }
  }
  return -1;
}

/** A key's content from `i` (plain printable ASCII, no escapes): the index of its closing quote, or -1. */
function keyEnd(b: Buffer, i: number, end: number): number {
  for (; i < end; i++) {
    const c = b[i] as number;
    if (c === QUOTE) return i;
    if (c === BACKSLASH || c < 0x20 || c > 0x7e) return -1;
  }
  return -1;
}

function objectEnd(b: Buffer, i: number, end: number, depth: number): number {
  if (depth > MAX_DEPTH) return -1;
  if (b[i] === RBRACE) return i + 1;
  let pks = -1;
  let pke = -1;
  for (;;) {
    if (b[i] !== QUOTE) return -1;
    const ks = i + 1;
    const ke = keyEnd(b, ks, end);
    if (ke < 0 || (pks >= 0 && compareBytes(b, pks, pke, ks, ke) >= 0) || b[ke + 1] !== COLON) return -1;
    pks = ks;
    pke = ke;
    i = value(b, ke + 2, end, depth);
    if (i < 0) return -1;
    const c = b[i];
    if (c === RBRACE) return i + 1;
    if (c !== COMMA) return -1;
    i++;
  }
}

function arrayEnd(b: Buffer, i: number, end: number, depth: number): number {
  if (depth > MAX_DEPTH) return -1;
  if (b[i] === RBRACKET) return i + 1;
  for (;;) {
    i = value(b, i, end, depth);
    if (i < 0) return -1;
    const c = b[i];
    if (c === RBRACKET) return i + 1;
    if (c !== COMMA) return -1;
    i++;
  }
}

/**
 * A number in the form `JSON.stringify` writes it (RFC 8785), or -1. Integers of up to 15 digits
 * and plain decimals of up to 15 significant digits without a trailing zero are that form as they
 * stand (15 digits always round-trip, so no shorter form names the same double); anything else
 * is printed again to compare.
 */
function numberEnd(b: Buffer, start: number, end: number): number {
  let i = start;
  if (b[i] === MINUS) i++;
  const intStart = i;
  if (b[i] === ZERO) i++;
  else if (isDigit(b[i])) while (isDigit(b[i])) i++;
  else return -1;
  const intDigits = i - intStart;
  let fracDigits = 0;
  let leadingFracZeros = 0;
  if (b[i] === DOT) {
    i++;
    const fracStart = i;
    while (isDigit(b[i])) i++;
    fracDigits = i - fracStart;
    if (fracDigits === 0) return -1;
    while (leadingFracZeros < fracDigits && b[fracStart + leadingFracZeros] === ZERO) leadingFracZeros++;
  }
  const exponent = b[i] === 0x65 || b[i] === 0x45;
  if (exponent) {
    i++;
    if (b[i] === 0x2b || b[i] === MINUS) i++;
    if (!isDigit(b[i])) return -1;
    while (isDigit(b[i])) i++;
  }
  if (i > end) return -1;
  if (!exponent) {
    if (fracDigits === 0) {
      // -0 is printed 0.
      if (intDigits <= 15) return b[start] === MINUS && b[intStart] === ZERO ? -1 : i;
    } else if (b[i - 1] !== ZERO) {
      const significant = b[intStart] === ZERO ? fracDigits - leadingFracZeros : intDigits + fracDigits;
      // Below 1e-6 the shortest form is exponential.
      if (significant <= 15 && (b[intStart] !== ZERO || leadingFracZeros <= 5)) return i;
    }
  }
  const text = b.toString('latin1', start, i);
  return String(Number(text)) === text ? i : -1;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

/** Byte order, which is UTF-16 code unit order for ASCII keys (RFC 8785's key order). */
function compareBytes(b: Buffer, as: number, ae: number, bs: number, be: number): number {
  const n = Math.min(ae - as, be - bs);
  for (let k = 0; k < n; k++) {
    const d = (b[as + k] as number) - (b[bs + k] as number);
    if (d !== 0) return d;
  }
  return ae - as - (be - bs);
}

const CHAIN_FIELDS = ['v', 'writer', 'epoch', 'seq', 'ts', 'prev', 'kind', 'shadow', 'hash'] as const;

/** Which top-level key `[ks, ke)` is, among those the verifier reads (and `hash`). */
function chainField(b: Buffer, ks: number, ke: number): keyof CanonicalFields | 'hash' | undefined {
  const length = ke - ks;
  for (const name of CHAIN_FIELDS) {
    if (name.length !== length || b[ks] !== name.charCodeAt(0)) continue;
    let same = true;
    for (let k = 1; k < length && same; k++) same = b[ks + k] === name.charCodeAt(k);
    if (same) return name;
  }
  return undefined;
}

const NOT_SCALAR = Symbol('not a scalar');

/** The value `[vs, ve)` as JSON.parse gives it, for a string without escapes or a number. */
function scalar(b: Buffer, vs: number, ve: number): unknown {
  const c = b[vs] as number;
  if (c === QUOTE) {
    for (let k = vs + 1; k < ve - 1; k++) if (b[k] === BACKSLASH) return NOT_SCALAR;
    return b.toString('latin1', vs + 1, ve - 1);
  }
  if (c >= 0x30 && c <= 0x39 && ve - vs <= 15) {
    let n = 0;
    for (let k = vs; k < ve; k++) {
      const d = (b[k] as number) - 0x30;
      if (d < 0 || d > 9) return Number(b.toString('latin1', vs, ve));
      n = n * 10 + d;
    }
    return n;
  }
  if (c === MINUS || (c >= 0x30 && c <= 0x39)) return Number(b.toString('latin1', vs, ve));
  // `value()` has checked the literal.
  if (c === 0x74) return true;
  if (c === 0x66) return false;
  return NOT_SCALAR;
}
