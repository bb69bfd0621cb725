import { createHash } from 'node:crypto';
import { CATEGORIES, type Category } from '../../taxonomy/categories.js';
import type { Automaton } from './aho-corasick.js';
import type { PatternCompilation } from './compile-lexicon.js';
import type { CompiledCooccurrence, CompiledPatterns, Role, Variant } from './compiled-patterns.js';

/**
 * A compiled lexicon set as bytes, and back: what `compilePatterns` produced (the automaton's
 * tables and the patterns the scanner reads), so that a process can load in milliseconds what
 * takes seconds to compile (see lexicon-cache.ts).
 *
 * Layout: `SRLXSNAP`, a u32 format version, a u32 header length, the header (UTF-8 JSON: the
 * scalars and the list of sections), the sections (typed arrays, each starting on an 8-byte
 * boundary), then the SHA-256 of everything before it. `decodeLexiconSnapshot` checks that hash
 * and every section's bounds before it reads anything: a truncated or altered file is refused,
 * never half-read.
 */
export const SNAPSHOT_FORMAT = 2;
const MAGIC = Buffer.from('SRLXSNAP', 'latin1');
const HASH_BYTES = 32;

type Typed = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float64Array;
const TYPES = { u8: Uint8Array, u16: Uint16Array, i32: Int32Array, u32: Uint32Array, f64: Float64Array } as const;
type TypeName = keyof typeof TYPES;

interface SectionEntry {
  name: string;
  type: TypeName;
  offset: number;
  length: number;
}

interface Header {
  sections: SectionEntry[];
  categories: Category[];
  version: string;
  blockSlot: number;
  blocklistIds: string[];
  maxKeyLength: number;
  maxWords: number;
  cooccurrences: CompiledCooccurrence[];
  /** Every role's `written`, deduplicated; roles refer to them by index. */
  strings: string[];
  automaton: null | { alphabetSize: number; denseStates: number; firstOutputState: number; outputStatesEnd: number; states: number; wideDelta: boolean };
}

/** Raised for a snapshot that cannot be read; the caller compiles instead. */
export class SnapshotError extends Error {
  readonly code = 'lexicon_snapshot_invalid';
}

const VARIANT_NEEDS_ONE = 1;
const VARIANT_BUCKETED = 2;
const VARIANT_BOUNDARY_AFTER = 4;
const VARIANT_EXTEND_START = 8;
const VARIANT_EXTEND_END = 16;

function typeOf(a: Typed): TypeName {
  if (a instanceof Uint8Array) return 'u8';
  if (a instanceof Uint16Array) return 'u16';
  if (a instanceof Int32Array) return 'i32';
  if (a instanceof Uint32Array) return 'u32';
  return 'f64';
}

/** Flattens lists into `first` (one more than lists) and `items`. */
function flatten(lists: readonly (readonly number[])[]): { first: Int32Array; items: Int32Array } {
  const first = new Int32Array(lists.length + 1);
  let total = 0;
  lists.forEach((l, i) => {
    first[i] = total;
    total += l.length;
  });
  first[lists.length] = total;
  const items = new Int32Array(total);
  let at = 0;
  for (const l of lists) for (const x of l) items[at++] = x;
  return { first, items };
}

export function encodeLexiconSnapshot(c: PatternCompilation): Buffer {
  const p = c.patterns;
  const sections = new Map<string, Typed>();
  sections.set('runs', Uint8Array.from(p.runs));
  sections.set('ones', Uint8Array.from(p.ones));
  sections.set('codes', Uint16Array.from(p.codes));
  const kv = flatten(p.keyVariants);
  sections.set('keyVariantFirst', kv.first);
  sections.set('keyVariants', kv.items);

  const variants = p.variants;
  const vAt = new Int32Array(variants.length);
  const vLead = new Int32Array(variants.length);
  const vFlags = new Uint8Array(variants.length);
  const roles: Role[] = [];
  const roleFirst = new Int32Array(variants.length + 1);
  variants.forEach((v, i) => {
    vAt[i] = v.at;
    vLead[i] = v.lead;
    vFlags[i] =
      (v.needsOne ? VARIANT_NEEDS_ONE : 0) |
      (v.bucketed ? VARIANT_BUCKETED : 0) |
      (v.boundaryAfter ? VARIANT_BOUNDARY_AFTER : 0) |
      (v.extendStart ? VARIANT_EXTEND_START : 0) |
      (v.extendEnd ? VARIANT_EXTEND_END : 0);
    roleFirst[i] = roles.length;
    for (const r of v.roles) roles.push(r);
  });
  roleFirst[variants.length] = roles.length;
  sections.set('variantAt', vAt);
  sections.set('variantLead', vLead);
  sections.set('variantFlags', vFlags);
  sections.set('variantRoleFirst', roleFirst);
  const ctx = flatten(variants.map((v) => v.contextOf));
  sections.set('variantContextFirst', ctx.first);
  sections.set('variantContexts', ctx.items);

  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  const rKind = new Uint8Array(roles.length);
  const rSide = new Uint8Array(roles.length);
  const rSlot = new Int32Array(roles.length);
  const rEntry = new Int32Array(roles.length);
  const rWritten = new Int32Array(roles.length);
  const rWeight = new Float64Array(roles.length);
  // Roles of one entry share their rules array: stored once, referred to by index.
  const ruleLists: (readonly number[])[] = [];
  const ruleListIds = new Map<readonly number[], number>();
  const rRules = new Int32Array(roles.length);
  roles.forEach((r, i) => {
    rKind[i] = r.kind;
    rSide[i] = r.side;
    rSlot[i] = r.slot;
    rEntry[i] = r.entry;
    rWeight[i] = r.weight;
    rWritten[i] = intern(r.written, strings, stringIds);
    rRules[i] = intern(r.rules, ruleLists, ruleListIds);
  });
  sections.set('roleKind', rKind);
  sections.set('roleSide', rSide);
  sections.set('roleSlot', rSlot);
  sections.set('roleEntry', rEntry);
  sections.set('roleWritten', rWritten);
  sections.set('roleWeight', rWeight);
  sections.set('roleRules', rRules);
  const rl = flatten(ruleLists);
  sections.set('ruleListFirst', rl.first);
  sections.set('ruleLists', rl.items);

  sections.set('ruleFactor', Float64Array.from(p.rules, (r) => r.factor));
  sections.set('ruleBefore', Int32Array.from(p.rules, (r) => r.before));
  sections.set('ruleAfter', Int32Array.from(p.rules, (r) => r.after));
  // 0: no frame, 1: a frame, 2: a frame that names the term.
  sections.set('ruleFrame', Uint8Array.from(p.rules, (r) => (r.namesTerm ? 2 : r.frame ? 1 : 0)));
  sections.set('slotCategory', Int32Array.from(p.slots, (s) => s.category));

  const a = c.automaton;
  if (a) {
    sections.set('classOf', a.classOf);
    sections.set('delta', a.delta);
    sections.set('childStart', a.childStart);
    sections.set('childClass', a.childClass);
    sections.set('childState', a.childState);
    sections.set('sparseFail', a.sparseFail);
    sections.set('ownKey', a.ownKey);
    sections.set('dictionaryLink', a.dictionaryLink);
    sections.set('keyLength', a.keyLength);
  }

  const entries: SectionEntry[] = [];
  let offset = 0;
  for (const [name, arr] of sections) {
    offset = align8(offset);
    entries.push({ name, type: typeOf(arr), offset, length: arr.length });
    offset += arr.byteLength;
  }
  const header: Header = {
    sections: entries,
    categories: [...c.categories],
    version: c.version,
    blockSlot: c.blockSlot,
    blocklistIds: [...c.blocklistIds],
    maxKeyLength: p.maxKeyLength,
    maxWords: p.maxWords,
    cooccurrences: p.cooccurrences.map((x) => ({ ...x })),
    strings,
    automaton: a
      ? { alphabetSize: a.alphabetSize, denseStates: a.denseStates, firstOutputState: a.firstOutputState, outputStatesEnd: a.outputStatesEnd, states: a.states, wideDelta: a.delta instanceof Uint32Array }
      : null,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const bodyStart = align8(MAGIC.length + 8 + headerBytes.length);
  const out = Buffer.alloc(bodyStart + offset + HASH_BYTES);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(SNAPSHOT_FORMAT, MAGIC.length);
  out.writeUInt32LE(headerBytes.length, MAGIC.length + 4);
  headerBytes.copy(out, MAGIC.length + 8);
  entries.forEach((e) => {
    const arr = sections.get(e.name)!;
    out.set(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength), bodyStart + e.offset);
  });
  const bodyEnd = bodyStart + offset;
  createHash('sha256').update(out.subarray(0, bodyEnd)).digest().copy(out, bodyEnd);
  return out;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** Reads a snapshot written by `encodeLexiconSnapshot`; throws `SnapshotError` for anything else. */
export function decodeLexiconSnapshot(bytes: Uint8Array): PatternCompilation {
  const fail = (why: string): never => {
    throw new SnapshotError(`lexicon snapshot: ${why}`);
  };
  if (bytes.length < MAGIC.length + 8 + HASH_BYTES) fail('too short');
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) fail('not a lexicon snapshot');
  const format = buf.readUInt32LE(MAGIC.length);
  if (format !== SNAPSHOT_FORMAT) fail(`format ${format}, expected ${SNAPSHOT_FORMAT}`);
  const bodyEnd = buf.length - HASH_BYTES;
  const digest = createHash('sha256').update(buf.subarray(0, bodyEnd)).digest();
  if (!digest.equals(buf.subarray(bodyEnd))) fail('checksum mismatch (truncated or altered)');
  const headerLength = buf.readUInt32LE(MAGIC.length + 4);
  if (MAGIC.length + 8 + headerLength > bodyEnd) fail('header out of bounds');
  let header: Header;
  try {
    header = JSON.parse(buf.subarray(MAGIC.length + 8, MAGIC.length + 8 + headerLength).toString('utf8')) as Header;
  } catch {
    return fail('header is not JSON');
  }
  const bodyStart = align8(MAGIC.length + 8 + headerLength);
  // One aligned copy of the body: typed arrays over it need their element alignment.
  const body = new Uint8Array(bodyEnd - bodyStart);
  body.set(buf.subarray(bodyStart, bodyEnd));
  const byName = new Map<string, Typed>();
  for (const e of header.sections ?? []) {
    const Ctor = TYPES[e.type];
    if (!Ctor || !Number.isInteger(e.offset) || !Number.isInteger(e.length) || e.offset % 8 !== 0 || e.offset < 0 || e.length < 0) fail(`bad section ${e.name}`);
    if (e.offset + e.length * Ctor.BYTES_PER_ELEMENT > body.length) fail(`section ${e.name} out of bounds`);
    byName.set(e.name, new Ctor(body.buffer, e.offset, e.length));
  }
  const get = <T extends Typed>(name: string, Ctor: new (...args: never[]) => T): T => {
    const arr = byName.get(name);
    if (!(arr instanceof Ctor)) return fail(`section ${name} missing or of the wrong type`);
    return arr;
  };
  const list = (first: Int32Array, items: Int32Array, i: number): number[] => Array.from(items.subarray(first[i]!, first[i + 1]!));

  const ruleListFirst = get('ruleListFirst', Int32Array);
  const ruleListItems = get('ruleLists', Int32Array);
  const ruleLists: number[][] = [];
  for (let i = 0; i + 1 < ruleListFirst.length; i++) ruleLists.push(list(ruleListFirst, ruleListItems, i));
  const strings = header.strings;
  const rKind = get('roleKind', Uint8Array);
  const rSide = get('roleSide', Uint8Array);
  const rSlot = get('roleSlot', Int32Array);
  const rEntry = get('roleEntry', Int32Array);
  const rWritten = get('roleWritten', Int32Array);
  const rWeight = get('roleWeight', Float64Array);
  const rRules = get('roleRules', Int32Array);
  const roles: Role[] = [];
  for (let i = 0; i < rKind.length; i++) {
    const rules = ruleLists[rRules[i]!];
    const written = strings[rWritten[i]!];
    if (rules == null || written == null || rKind[i]! > 2) fail(`role ${i} is malformed`);
    roles.push({ kind: rKind[i] as Role['kind'], slot: rSlot[i]!, side: rSide[i]!, weight: rWeight[i]!, written: written!, rules: rules!, entry: rEntry[i]! });
  }
  const vAt = get('variantAt', Int32Array);
  const vLead = get('variantLead', Int32Array);
  const vFlags = get('variantFlags', Uint8Array);
  const vRoleFirst = get('variantRoleFirst', Int32Array);
  const vContextFirst = get('variantContextFirst', Int32Array);
  const vContexts = get('variantContexts', Int32Array);
  if (vLead.length !== vAt.length || vFlags.length !== vAt.length || vRoleFirst.length !== vAt.length + 1 || vContextFirst.length !== vAt.length + 1) fail('variant sections disagree in length');
  const variants: Variant[] = [];
  for (let i = 0; i < vAt.length; i++) {
    const f = vFlags[i]!;
    variants.push({
      at: vAt[i]!,
      needsOne: (f & VARIANT_NEEDS_ONE) !== 0,
      bucketed: (f & VARIANT_BUCKETED) !== 0,
      lead: vLead[i]!,
      boundaryAfter: (f & VARIANT_BOUNDARY_AFTER) !== 0,
      extendStart: (f & VARIANT_EXTEND_START) !== 0,
      extendEnd: (f & VARIANT_EXTEND_END) !== 0,
      roles: roles.slice(vRoleFirst[i]!, vRoleFirst[i + 1]!),
      contextOf: list(vContextFirst, vContexts, i),
    });
  }
  const kvFirst = get('keyVariantFirst', Int32Array);
  const kvItems = get('keyVariants', Int32Array);
  const keyVariants: number[][] = [];
  for (let i = 0; i + 1 < kvFirst.length; i++) keyVariants.push(list(kvFirst, kvItems, i));
  const ruleFactor = get('ruleFactor', Float64Array);
  const ruleBefore = get('ruleBefore', Int32Array);
  const ruleAfter = get('ruleAfter', Int32Array);
  const ruleFrame = get('ruleFrame', Uint8Array);
  const rules = Array.from(ruleFactor, (factor, i) => ({ factor, before: ruleBefore[i]!, after: ruleAfter[i]!, frame: ruleFrame[i]! >= 1, namesTerm: ruleFrame[i] === 2 }));
  const slots = Array.from(get('slotCategory', Int32Array), (category) => ({ category }));
  const patterns: CompiledPatterns = {
    runs: get('runs', Uint8Array),
    ones: get('ones', Uint8Array),
    codes: get('codes', Uint16Array),
    keyVariants,
    maxKeyLength: header.maxKeyLength,
    variants,
    rules,
    slots,
    cooccurrences: header.cooccurrences,
    maxWords: header.maxWords,
  };
  let automaton: Automaton | null = null;
  const am = header.automaton;
  if (am) {
    automaton = {
      classOf: get('classOf', Uint16Array),
      alphabetSize: am.alphabetSize,
      delta: am.wideDelta ? get('delta', Uint32Array) : get('delta', Uint16Array),
      denseStates: am.denseStates,
      firstOutputState: am.firstOutputState,
      outputStatesEnd: am.outputStatesEnd,
      childStart: get('childStart', Int32Array),
      childClass: get('childClass', Uint16Array),
      childState: get('childState', Int32Array),
      sparseFail: get('sparseFail', Int32Array),
      ownKey: get('ownKey', Int32Array),
      dictionaryLink: get('dictionaryLink', Int32Array),
      keyLength: get('keyLength', Int32Array),
      states: am.states,
    };
  }
  for (const c of header.categories) if (!CATEGORIES.includes(c)) fail(`unknown category ${String(c)}`);
  return { patterns, automaton, categories: header.categories, version: header.version, blockSlot: header.blockSlot, blocklistIds: header.blocklistIds };
}

/** The index of `value` in `list`, appended on first sight (`ids` maps each value to its index). */
function intern<T>(value: T, list: T[], ids: Map<T, number>): number {
  let id = ids.get(value);
  if (id === undefined) {
    id = list.length;
    list.push(value);
    ids.set(value, id);
  }
  return id;
}
