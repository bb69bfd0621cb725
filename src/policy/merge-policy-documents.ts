import { ASSURANCE_LEVELS } from '../subjects/subject-context.js';
import { IMPLIED_AGE_LEVEL, intersectMethods, isNewerVersion, strictestJurisdiction } from './strictest.js';
import { childPointer } from './json-pointer.js';
import { createOriginMap, type Origin, type OriginMap } from './origin-map.js';
import type { AgeRequirement, ConsentRequirement, Jurisdiction, PolicyDocument, Requirements, Target } from './policy-schema.js';
import { DEFAULT_MINIMUM_AGE } from './requirements.js';
import type { PositionKind } from './source-map.js';

/**
 * A policy document with the origin of each of its parts. A file that `extends` another may
 * leave out what its base provides, so a layer is only known to be complete after merging.
 */
export interface PolicyLayer {
  doc: LayerDocument;
  origins: OriginMap;
}

export type LayerDocument = Partial<Omit<PolicyDocument, 'targets'>> & { targets?: Record<string, Partial<Target>> };

export interface MergeFinding {
  origin: Origin;
  kind: PositionKind;
  severity: 'error' | 'warning';
  message: string;
  hint?: string;
}

/** What the age-minimum merge needs to know of the whole chain, not just of the two layers at hand. */
export interface MergeContext {
  /** The jurisdiction table after every layer is merged. */
  jurisdictions: Record<string, Jurisdiction>;
  ageFloor: number | undefined;
}

/**
 * An age requirement without a level needs `standard` at evaluation, so a merge must not let a
 * child's explicit `asserted` undercut a base that said nothing.
 */

export function layerOf(doc: LayerDocument, source: number): PolicyLayer {
  return { doc, origins: createOriginMap({ source, pointer: '' }) };
}

/** The jurisdiction table and age floor of a whole chain (base first), for `MergeContext`. */
export function chainContext(docs: readonly LayerDocument[]): MergeContext {
  let jurisdictions: Record<string, Jurisdiction> = {};
  let ageFloor: number | undefined;
  for (const doc of docs) {
    jurisdictions = mergeJurisdictionTables(jurisdictions, doc.jurisdictions ?? {}).table;
    if (doc.ageFloor != null) ageFloor = Math.max(ageFloor ?? doc.ageFloor, doc.ageFloor);
  }
  return { jurisdictions, ageFloor };
}

/**
 * Base ← child, where the child may only tighten: scalars and `defaults.route` are the child's
 * when present; `onClassifierError`, `unknownJurisdiction` and `ageFloor` take the stricter; targets merge by name with
 * requirements strictest-wins; jurisdictions merge per region strictest-wins; rules and
 * blocklists are concatenated (duplicate ids are reported by the semantic checks).
 */
export function mergePolicyLayers(base: PolicyLayer, child: PolicyLayer, ctx: MergeContext, findings: MergeFinding[]): PolicyLayer {
  const B = base.doc;
  const C = child.doc;
  const origins = createOriginMap(child.origins.resolve(''));
  const out: Record<string, unknown> = {};
  const fromChild = (ptr: string, childPtr = ptr): void => origins.carry(ptr, child.origins, childPtr);
  const fromBase = (ptr: string, basePtr = ptr): void => origins.carry(ptr, base.origins, basePtr);
  const note = (layer: PolicyLayer, ptr: string, severity: MergeFinding['severity'], message: string, hint?: string): void => {
    const f: MergeFinding = { origin: layer.origins.resolve(ptr), kind: 'value', severity, message };
    if (hint != null) f.hint = hint;
    findings.push(f);
  };

  for (const key of ['id', 'revision', 'description', 'mode'] as const) {
    if (C[key] !== undefined) {
      out[key] = C[key];
      fromChild('/' + key);
    } else if (B[key] !== undefined) {
      out[key] = B[key];
      fromBase('/' + key);
    }
  }
  if (C.mode === 'monitor' && (B.mode ?? 'enforce') === 'enforce') {
    note(
      child,
      '/mode',
      'warning',
      '`monitor` overrides the base policy’s `enforce`: the base’s blocks will be logged, not enforced',
      'use monitor only to try a policy out',
    );
  }

  if (B.ageFloor != null || C.ageFloor != null) {
    const childWins = C.ageFloor != null && (B.ageFloor == null || C.ageFloor >= B.ageFloor);
    out['ageFloor'] = childWins ? C.ageFloor : B.ageFloor;
    if (childWins) fromChild('/ageFloor');
    else fromBase('/ageFloor');
  }

  for (const key of ['classifiers', 'input', 'output', 'audit', 'messages'] as const) {
    const b = B[key] as Record<string, unknown> | undefined;
    const c = C[key] as Record<string, unknown> | undefined;
    if (!b && !c) continue;
    const merged: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(b ?? {})) {
      if (c && k in c) continue;
      merged[k] = v;
    }
    Object.assign(merged, c ?? {});
    out[key] = merged;
    if (c) fromChild('/' + key);
    else fromBase('/' + key);
    for (const k of Object.keys(b ?? {})) if (!(c && k in c)) fromBase(childPointer('/' + key, k));
  }

  if (B.defaults || C.defaults) {
    const defaults: Record<string, unknown> = {};
    if (C.defaults) fromChild('/defaults');
    else fromBase('/defaults');
    const route = C.defaults?.route ?? B.defaults?.route;
    if (route !== undefined) {
      defaults['route'] = route;
      if (C.defaults?.route !== undefined) fromChild('/defaults/route');
      else fromBase('/defaults/route');
    }
    // Each of these is a fail-closed switch whose absence means its strict value: a product can
    // only keep or tighten the base's.
    for (const [key, strict] of [
      ['onClassifierError', 'block'],
      ['unknownJurisdiction', 'strictest'],
    ] as const) {
      const b = B.defaults?.[key];
      const c = C.defaults?.[key];
      if (b === undefined && c === undefined) continue;
      const ptr = `/defaults/${key}`;
      const baseEffective = B.defaults ? (b ?? strict) : undefined;
      if (c !== undefined && (baseEffective === undefined || c === strict || baseEffective !== strict)) {
        defaults[key] = c;
        fromChild(ptr);
      } else {
        defaults[key] = baseEffective;
        if (b !== undefined) fromBase(ptr);
        if (c !== undefined) {
          note(
            child,
            ptr,
            'warning',
            `\`${c}\` is less strict than the base policy’s \`${String(baseEffective)}\`${b === undefined ? ' (its default)' : ''}; the base’s value stays`,
          );
        }
      }
    }
    out['defaults'] = defaults;
  }

  if (B.targets || C.targets) {
    out['targets'] = mergeTargets(base, child, ctx, origins, findings);
  }

  if (B.jurisdictions || C.jurisdictions) {
    out['jurisdictions'] = mergeJurisdictionLayers(base, child, origins, findings);
  }

  for (const key of ['blocklists', 'rules'] as const) {
    const b = B[key];
    const c = C[key];
    if (!b && !c) continue;
    out[key] = [...(b ?? []), ...(c ?? [])];
    if (c) fromChild('/' + key);
    else fromBase('/' + key);
    (b ?? []).forEach((_, i) => fromBase(`/${key}/${i}`));
    (c ?? []).forEach((_, i) => fromChild(`/${key}/${(b ?? []).length + i}`, `/${key}/${i}`));
  }

  return { doc: out as LayerDocument, origins };
}

function mergeTargets(
  base: PolicyLayer,
  child: PolicyLayer,
  ctx: MergeContext,
  origins: OriginMap,
  findings: MergeFinding[],
): Record<string, Partial<Target>> {
  const B = base.doc.targets ?? {};
  const C = child.doc.targets ?? {};
  const out: Record<string, Partial<Target>> = {};
  if (child.doc.targets) origins.carry('/targets', child.origins, '/targets');
  else origins.carry('/targets', base.origins, '/targets');
  for (const name of new Set([...Object.keys(B), ...Object.keys(C)])) {
    const ptr = childPointer('/targets', name);
    const b = B[name];
    const c = C[name];
    if (!b || !c) {
      out[name] = (c ?? b) as Partial<Target>;
      origins.carry(ptr, c ? child.origins : base.origins, ptr);
      continue;
    }
    // The child's provider, model, options and onUnmet replace the base's; requirements merge.
    const merged: Partial<Target> = { ...b, ...c };
    origins.carry(ptr, child.origins, ptr);
    for (const k of Object.keys(b)) if (!(k in c)) origins.carry(childPointer(ptr, k), base.origins, childPointer(ptr, k));
    if (b.requirements && c.requirements) {
      merged.requirements = mergeRequirements(
        name,
        { layer: base, ptr: childPointer(ptr, 'requirements'), req: b.requirements },
        { layer: child, ptr: childPointer(ptr, 'requirements'), req: c.requirements },
        childPointer(ptr, 'requirements'),
        ctx,
        origins,
        findings,
      );
    }
    out[name] = merged;
  }
  return out;
}

interface Side<T> {
  layer: PolicyLayer;
  ptr: string;
  req: T;
}

function mergeRequirements(
  target: string,
  b: Side<Requirements>,
  c: Side<Requirements>,
  outPtr: string,
  ctx: MergeContext,
  origins: OriginMap,
  findings: MergeFinding[],
): Requirements {
  const out: Requirements = {};
  origins.carry(outPtr, c.layer.origins, c.ptr);
  const agePtr = childPointer(outPtr, 'age');
  if (b.req.age && c.req.age) {
    out.age = mergeAge(
      target,
      { layer: b.layer, ptr: childPointer(b.ptr, 'age'), req: b.req.age },
      { layer: c.layer, ptr: childPointer(c.ptr, 'age'), req: c.req.age },
      agePtr,
      ctx,
      origins,
      findings,
    );
  } else if (b.req.age || c.req.age) {
    const side = c.req.age ? c : b;
    out.age = (side.req.age as AgeRequirement);
    origins.carry(agePtr, side.layer.origins, childPointer(side.ptr, 'age'));
  }
  if (b.req.consent || c.req.consent) {
    const consentPtr = childPointer(outPtr, 'consent');
    const sideOf = c.req.consent ? c : b;
    origins.carry(consentPtr, sideOf.layer.origins, childPointer(sideOf.ptr, 'consent'));
    const list: ConsentRequirement[] = [];
    const add = (side: Side<Requirements>): void => {
      (side.req.consent ?? []).forEach((entry, i) => {
        const from = childPointer(side.ptr, 'consent', i);
        const at = list.findIndex((e) => e.scope === entry.scope);
        if (at < 0) {
          origins.carry(childPointer(consentPtr, list.length), side.layer.origins, from);
          list.push(entry);
        } else if (isNewerVersion(entry.minVersion, (list[at] as ConsentRequirement).minVersion)) {
          origins.carry(childPointer(consentPtr, at), side.layer.origins, from);
          list[at] = entry;
        }
      });
    };
    add(b);
    add(c);
    out.consent = list;
  }
  return out;
}


function mergeAge(
  target: string,
  b: Side<AgeRequirement>,
  c: Side<AgeRequirement>,
  outPtr: string,
  ctx: MergeContext,
  origins: OriginMap,
  findings: MergeFinding[],
): AgeRequirement {
  origins.carry(outPtr, c.layer.origins, c.ptr);
  const take = (field: string, side: Side<AgeRequirement>): void =>
    origins.carry(childPointer(outPtr, field), side.layer.origins, childPointer(side.ptr, field));

  let minimum: AgeRequirement['minimum'];
  const bm = b.req.minimum;
  const cm = c.req.minimum;
  if (typeof bm === 'number' && typeof cm === 'number') {
    minimum = Math.max(bm, cm);
    take('minimum', cm >= bm ? c : b);
  } else if (bm === 'jurisdiction' && cm === 'jurisdiction') {
    minimum = 'jurisdiction';
    take('minimum', c);
  } else {
    const n = (typeof bm === 'number' ? bm : cm) as number;
    const numberSide = typeof bm === 'number' ? b : c;
    const values = jurisdictionMinimums(target, ctx);
    if (values.every((v) => n >= v)) {
      minimum = n;
      take('minimum', numberSide);
    } else if (values.every((v) => v >= n)) {
      minimum = 'jurisdiction';
      take('minimum', numberSide === b ? c : b);
    } else {
      // A single requirement cannot say "the jurisdiction's minimum, but at least n": refuse
      // rather than keep either value and loosen the other.
      minimum = n;
      take('minimum', numberSide);
      findings.push({
        origin: c.layer.origins.resolve(childPointer(c.ptr, 'minimum')),
        kind: 'value',
        severity: 'error',
        message: `the minimum age \`${String(cm)}\` of target \`${target}\` cannot be combined with the base policy’s \`${String(bm)}\`: the jurisdiction minimums range from ${Math.min(...values)} to ${Math.max(...values)}, so neither value alone keeps both`,
        hint: `use a number of at least ${Math.max(...values)}, or "jurisdiction" with every jurisdiction row at ${n} or more`,
      });
    }
  }
  const out: AgeRequirement = { minimum };

  if (b.req.level != null || c.req.level != null) {
    const bl = b.req.level ?? IMPLIED_AGE_LEVEL;
    const cl = c.req.level ?? IMPLIED_AGE_LEVEL;
    const childWins = ASSURANCE_LEVELS.indexOf(cl) >= ASSURANCE_LEVELS.indexOf(bl);
    out.level = childWins ? cl : bl;
    const side = childWins ? c : b;
    if (side.req.level != null) take('level', side);
  }
  const methods = intersectMethods(b.req.methods, c.req.methods);
  if (methods) {
    out.methods = methods;
    take('methods', c.req.methods ? c : b);
    if (methods.length === 0) {
      findings.push({
        origin: c.layer.origins.resolve(childPointer(c.ptr, 'methods')),
        kind: 'value',
        severity: 'error',
        message: `no verification method of target \`${target}\` is accepted by both this policy and its base, so nobody could reach it`,
        hint: 'list at least one method the base also accepts',
      });
    }
  }
  if (b.req.maxAgeDays != null || c.req.maxAgeDays != null) {
    const childWins = c.req.maxAgeDays != null && (b.req.maxAgeDays == null || c.req.maxAgeDays <= b.req.maxAgeDays);
    out.maxAgeDays = (childWins ? c.req.maxAgeDays : b.req.maxAgeDays) as number;
    take('maxAgeDays', childWins ? c : b);
  }
  return out;
}

/** Every minimum "jurisdiction" can stand for, as evaluation computes it, for regions where the target is not denied. */
function jurisdictionMinimums(target: string, ctx: MergeContext): number[] {
  const rows = Object.values(ctx.jurisdictions).filter((row) => !row.deny?.includes(target));
  // Without a `*` row, a region missing from the table gets the default minimum.
  if (!('*' in ctx.jurisdictions)) rows.push({});
  return rows.map((row) => Math.max(ctx.ageFloor ?? 0, row.minimumAge ?? DEFAULT_MINIMUM_AGE));
}


type RowPick = Partial<Record<keyof Jurisdiction, 'base' | 'child'>>;

/** The row a region gets, the way evaluation looks it up: exact code, then its country, then `*`. */
function effectiveRow(table: Record<string, Jurisdiction>, code: string): { key: string; row: Jurisdiction } | undefined {
  const keys = code === '*' ? ['*'] : [code, code.split('-')[0] ?? code, '*'];
  for (const key of keys) {
    const row = table[key];
    if (row) return { key, row };
  }
  return undefined;
}

/**
 * Per region, the strictest of what the base and the child each apply to it: a region that only
 * the child lists is still held to the base's `*` (or country) row, and the other way round, so
 * adding a row can never loosen what a region had.
 */
function mergeJurisdictionTables(
  base: Record<string, Jurisdiction>,
  child: Record<string, Jurisdiction>,
): { table: Record<string, Jurisdiction>; picks: Record<string, { base?: string; child?: string; pick: RowPick }> } {
  const table: Record<string, Jurisdiction> = {};
  const picks: Record<string, { base?: string; child?: string; pick: RowPick }> = {};
  for (const code of new Set([...Object.keys(base), ...Object.keys(child)])) {
    const b = effectiveRow(base, code);
    const c = effectiveRow(child, code);
    const { row, pick } = strictestRow(b?.row, c?.row);
    table[code] = row;
    const entry: { base?: string; child?: string; pick: RowPick } = { pick };
    if (b) entry.base = b.key;
    if (c) entry.child = c.key;
    picks[code] = entry;
  }
  return { table, picks };
}

function strictestRow(b: Jurisdiction | undefined, c: Jurisdiction | undefined): { row: Jurisdiction; pick: RowPick } {
  const row = strictestJurisdiction([b, c]);
  // Which side each value came from (the child on a tie), for positions in messages.
  const pick: RowPick = {};
  for (const key of ['minimumAge', 'level', 'methods', 'maxAgeDays', 'deny'] as const) {
    if (row[key] === undefined) continue;
    pick[key] = c?.[key] !== undefined && (b?.[key] === undefined || JSON.stringify(c[key]) === JSON.stringify(row[key]) || key === 'methods' || key === 'deny') ? 'child' : 'base';
  }
  if (c?.note != null) {
    row.note = c.note;
    pick.note = 'child';
  } else if (b?.note != null) {
    row.note = b.note;
    pick.note = 'base';
  }
  return { row, pick };
}

function mergeJurisdictionLayers(
  base: PolicyLayer,
  child: PolicyLayer,
  origins: OriginMap,
  findings: MergeFinding[],
): Record<string, Jurisdiction> {
  const B = base.doc.jurisdictions ?? {};
  const C = child.doc.jurisdictions ?? {};
  const { table, picks } = mergeJurisdictionTables(B, C);
  if (child.doc.jurisdictions) origins.carry('/jurisdictions', child.origins, '/jurisdictions');
  else origins.carry('/jurisdictions', base.origins, '/jurisdictions');
  for (const [code, entry] of Object.entries(picks)) {
    const ptr = childPointer('/jurisdictions', code);
    // The row itself is the child's when the child lists the region, else the base's.
    if (code in C) origins.carry(ptr, child.origins, ptr);
    else origins.carry(ptr, base.origins, childPointer('/jurisdictions', entry.base ?? code));
    for (const [field, side] of Object.entries(entry.pick)) {
      const layer = side === 'child' ? child : base;
      const key = side === 'child' ? entry.child : entry.base;
      if (key == null) continue;
      origins.carry(childPointer(ptr, field), layer.origins, childPointer('/jurisdictions', key, field));
    }
    const row = table[code] as Jurisdiction;
    if (row.methods && row.methods.length === 0) {
      const side = entry.pick.methods === 'child' ? child : base;
      const key = (entry.pick.methods === 'child' ? entry.child : entry.base) ?? code;
      findings.push({
        origin: side.origins.resolve(childPointer('/jurisdictions', key, 'methods')),
        kind: 'value',
        severity: 'error',
        message: `no verification method for \`${code}\` is accepted by both this policy and its base, so nobody there could verify their age`,
        hint: 'list at least one method the base also accepts, or deny the targets outright',
      });
    }
    // Deny entries keep pointing at the file that named them.
    if (row.deny && (entry.pick.deny != null)) {
      row.deny.forEach((t, i) => {
        const fromChild = entry.child != null ? (C[entry.child]?.deny ?? []).indexOf(t) : -1;
        if (fromChild >= 0 && entry.child != null) {
          origins.carry(childPointer(ptr, 'deny', i), child.origins, childPointer('/jurisdictions', entry.child, 'deny', fromChild));
        } else if (entry.base != null) {
          const fromBase = (B[entry.base]?.deny ?? []).indexOf(t);
          origins.carry(childPointer(ptr, 'deny', i), base.origins, childPointer('/jurisdictions', entry.base, 'deny', fromBase));
        }
      });
    }
  }
  return table;
}
