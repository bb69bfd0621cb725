import { didYouMean, listOf } from './did-you-mean.js';
import { checkCondition } from './check-conditions.js';
import { checkClassifierCoverage } from './classifier-coverage.js';
import type { Category } from '../taxonomy/categories.js';
import { DEFAULT_MESSAGES } from './evaluate-policy.js';
import { childPointer } from './json-pointer.js';
import type { AgeRequirement, PolicyDocument, Requirements, Target } from './policy-schema.js';
import { semanticFinding, type SemanticFinding } from './semantic-finding.js';
import type { PositionKind } from './source-map.js';

/** Classifier names a policy may list; `a>b` cascades them (cheap first). */
export const KNOWN_CLASSIFIERS = ['embedded', 'lexicon', 'linear', 'pii', 'openai-moderation', 'llama-guard'] as const;

export interface SemanticContext {
  /** Every classifier a policy may name (the built-in ones and the caller's own) and what each scores. */
  classifiers: Readonly<Record<string, readonly Category[]>>;
  /** `file:line:column` of a pointer of the merged document, to name a second place in a message. */
  where(pointer: string, kind?: PositionKind): string;
  /** Index of the file a pointer comes from: 0 for the policy itself, 1 for its base, … */
  sourceOf(pointer: string): number;
}

/**
 * Checks what a schema cannot: references between parts of the policy, rules that can never
 * fire or whose outcome would depend on their order, age limits below the legal floor. Runs on a
 * document that passed the schema (after `extends` is merged) and reports every problem at once.
 */
export function checkPolicySemantics(doc: PolicyDocument, ctx: SemanticContext): SemanticFinding[] {
  const findings: SemanticFinding[] = [];
  const targets = new Set(Object.keys(doc.targets));
  const messages = new Set([...Object.keys(DEFAULT_MESSAGES), ...Object.keys(doc.messages ?? {})]);
  const blocklists = new Set((doc.blocklists ?? []).map((b) => b.id));
  const jurisdictions = doc.jurisdictions ?? {};

  const unknownTarget = (pointer: string, name: string): void => {
    const s = didYouMean(name, targets);
    findings.push(
      semanticFinding(pointer, `unknown target \`${name}\`${s != null ? `; did you mean \`${s}\`?` : ''}`, {
        hint: targets.size > 0 ? `targets defined: ${listOf([...targets])}` : 'define it under `targets`',
      }),
    );
  };
  const unknownMessage = (pointer: string, id: string): void => {
    const s = didYouMean(id, messages);
    findings.push(
      semanticFinding(pointer, `unknown message \`${id}\`${s != null ? `; did you mean \`${s}\`?` : ''}`, {
        hint: 'define it under `messages`',
      }),
    );
  };

  // Defaults.
  const defaultRoute = doc.defaults.route;
  if (!targets.has(defaultRoute)) unknownTarget('/defaults/route', defaultRoute);
  else if (hasRequirements(doc.targets[defaultRoute]?.requirements)) {
    findings.push(
      semanticFinding('/defaults/route', `the default route \`${defaultRoute}\` has requirements`, {
        hint: 'the default route is taken when nothing matched and must be reachable by anyone; move the requirements to a rule-selected target',
      }),
    );
  }

  // Targets: fallbacks, messages, ages.
  for (const [name, target] of Object.entries(doc.targets)) {
    const ptr = childPointer('/targets', name);
    const onUnmet = target.onUnmet;
    if (onUnmet?.action === 'fallback' && !targets.has(onUnmet.target)) unknownTarget(childPointer(ptr, 'onUnmet', 'target'), onUnmet.target);
    if (onUnmet?.action === 'block' && onUnmet.message != null && !messages.has(onUnmet.message)) {
      unknownMessage(childPointer(ptr, 'onUnmet', 'message'), onUnmet.message);
    }
    checkRequirements(target.requirements, childPointer(ptr, 'requirements'), doc, findings);
  }
  checkFallbackCycles(doc.targets, findings);

  // Jurisdictions.
  for (const [code, row] of Object.entries(jurisdictions)) {
    const ptr = childPointer('/jurisdictions', code);
    (row.deny ?? []).forEach((t, i) => {
      if (!targets.has(t)) unknownTarget(childPointer(ptr, 'deny', i), t);
    });
    if (row.minimumAge != null) {
      if (doc.ageFloor != null && row.minimumAge < doc.ageFloor) {
        findings.push(
          semanticFinding(childPointer(ptr, 'minimumAge'), `\`${code}\` sets ${row.minimumAge}, below the policy’s ageFloor ${doc.ageFloor}`, {
            hint: `raise it to ${doc.ageFloor} or more`,
          }),
        );
      } else if (row.minimumAge < 0) {
        findings.push(semanticFinding(childPointer(ptr, 'minimumAge'), `a minimum age cannot be negative (${row.minimumAge})`));
      }
    }
    if (row.maxAgeDays != null && row.maxAgeDays < 1) {
      findings.push(semanticFinding(childPointer(ptr, 'maxAgeDays'), `\`maxAgeDays\` ${row.maxAgeDays} accepts no verification at all`, { hint: 'use 1 or more' }));
    }
  }
  if (doc.ageFloor != null && doc.ageFloor < 0) {
    findings.push(semanticFinding('/ageFloor', `an age floor cannot be negative (${doc.ageFloor})`));
  }

  // Blocklists.
  const firstBlocklist = new Map<string, number>();
  (doc.blocklists ?? []).forEach((b, i) => {
    const first = firstBlocklist.get(b.id);
    if (first == null) firstBlocklist.set(b.id, i);
    else findings.push(duplicateId('blocklist', b.id, `/blocklists/${first}/id`, `/blocklists/${i}/id`, ctx));
  });

  // Rules.
  const firstRule = new Map<string, number>();
  const routesByPrecedence = new Map<number, { index: number; target: string }[]>();
  doc.rules.forEach((rule, i) => {
    const ptr = `/rules/${i}`;
    const first = firstRule.get(rule.id);
    if (first == null) firstRule.set(rule.id, i);
    else findings.push(duplicateId('rule', rule.id, `/rules/${first}/id`, `${ptr}/id`, ctx));

    const analysis = checkCondition(rule.when, `${ptr}/when`, { blocklists, findings, targets, stage: rule.stage });
    if (analysis.never) {
      findings.push(semanticFinding(analysis.never.pointer, `rule \`${rule.id}\` can never fire: ${analysis.never.why}`));
    } else if (analysis.always && rule.effect.action === 'block') {
      findings.push(
        semanticFinding(`${ptr}/when`, `rule \`${rule.id}\` matches everything, so the policy blocks every request`, { severity: 'warning' }),
      );
    }

    const effect = rule.effect;
    const effectPtr = `${ptr}/effect`;
    if ((effect.action === 'block' || effect.action === 'warn') && effect.message != null && !messages.has(effect.message)) {
      unknownMessage(`${effectPtr}/message`, effect.message);
    }
    if (effect.action === 'route') {
      if (!targets.has(effect.target)) unknownTarget(`${effectPtr}/target`, effect.target);
      if (rule.stage === 'output') {
        findings.push(
          semanticFinding(`${ptr}/stage`, `rule \`${rule.id}\` routes at the output stage, but routing happens before the model is called`, {
            hint: 'use stage `input`, or a `block`, `redact` or `warn` effect for output',
          }),
        );
      } else {
        const list = routesByPrecedence.get(effect.precedence) ?? [];
        const clash = list.find((r) => r.target !== effect.target);
        if (clash) {
          const other = doc.rules[clash.index];
          findings.push(
            semanticFinding(
              `${effectPtr}/precedence`,
              `rules \`${other?.id ?? ''}\` and \`${rule.id}\` route to different targets (\`${clash.target}\`, \`${effect.target}\`) with the same precedence ${effect.precedence}; if both matched, the outcome would depend on rule order`,
              { hint: 'give one a higher precedence' },
            ),
          );
        }
        // Each target once (its first rule): thousands of rules to one target stay linear.
        if (!list.some((r) => r.target === effect.target)) list.push({ index: i, target: effect.target });
        routesByPrecedence.set(effect.precedence, list);
      }
      checkRequirements(effect.requires, `${effectPtr}/requires`, doc, findings);
    }
  });

  // Output and classifiers.
  const output = doc.output;
  if (output?.replacement != null && !messages.has(output.replacement)) unknownMessage('/output/replacement', output.replacement);
  if (output?.onBlock === 'replace' && output.replacement == null) {
    findings.push(
      semanticFinding('/output', '`onBlock: replace` needs a `replacement` message id', { kind: 'container', hint: 'add `"replacement": "<message id>"`' }),
    );
  }
  for (const stage of ['input', 'output'] as const) {
    (doc.classifiers?.[stage] ?? []).forEach((spec, i) => checkClassifier(spec, `/classifiers/${stage}/${i}`, Object.keys(ctx.classifiers), findings));
  }
  checkClassifierCoverage(doc, ctx.classifiers, findings);
  return findings;
}

function hasRequirements(req: Requirements | undefined): boolean {
  return req != null && (req.age != null || (req.consent ?? []).length > 0);
}

function duplicateId(kind: string, id: string, firstPtr: string, dupPtr: string, ctx: SemanticContext): SemanticFinding {
  const where = ctx.where(firstPtr);
  if (ctx.sourceOf(firstPtr) !== ctx.sourceOf(dupPtr)) {
    return semanticFinding(dupPtr, `${kind} \`${id}\` is already defined in \`${where}\``, {
      hint: `give the new ${kind} its own id — a product policy cannot replace a baseline ${kind}`,
    });
  }
  return semanticFinding(dupPtr, `duplicate ${kind} id \`${id}\` (first at \`${where}\`)`, { hint: `give each ${kind} its own id` });
}

function checkRequirements(req: Requirements | undefined, ptr: string, doc: PolicyDocument, findings: SemanticFinding[]): void {
  const age: AgeRequirement | undefined = req?.age;
  if (!age) return;
  const minPtr = childPointer(ptr, 'age', 'minimum');
  if (typeof age.minimum === 'number') {
    if (doc.ageFloor != null && age.minimum < doc.ageFloor) {
      findings.push(
        semanticFinding(minPtr, `minimum age ${age.minimum} is below the policy’s ageFloor ${doc.ageFloor}`, { hint: `raise it to ${doc.ageFloor} or more` }),
      );
    } else if (age.minimum < 0) {
      findings.push(semanticFinding(minPtr, `a minimum age cannot be negative (${age.minimum})`));
    }
  } else if (!('*' in (doc.jurisdictions ?? {}))) {
    // Otherwise a region missing from the table would get a minimum built into the code rather
    // than one the policy's authors chose and signed off.
    findings.push(
      semanticFinding(minPtr, 'minimum `jurisdiction` needs a `*` row in `jurisdictions` for the regions the table does not list', {
        hint: 'add `"*": { "minimumAge": 18 }`, or a `*` row that denies the target',
      }),
    );
  }
  if (age.maxAgeDays != null && age.maxAgeDays < 1) {
    findings.push(
      semanticFinding(childPointer(ptr, 'age', 'maxAgeDays'), `\`maxAgeDays\` ${age.maxAgeDays} accepts no verification at all`, { hint: 'use 1 or more' }),
    );
  }
  if (age.methods && age.methods.length === 0) {
    findings.push(semanticFinding(childPointer(ptr, 'age', 'methods'), 'an empty `methods` list accepts no verification at all', { hint: 'leave it out to accept any method' }));
  }
}

/** A fallback chain that returns to where it started would never end in a decision. */
function checkFallbackCycles(targets: Record<string, Target>, findings: SemanticFinding[]): void {
  const reported = new Set<string>();
  for (const start of Object.keys(targets)) {
    const chain: string[] = [start];
    let current = targets[start];
    while (current?.onUnmet?.action === 'fallback') {
      const next = current.onUnmet.target;
      const at = chain.indexOf(next);
      if (at >= 0) {
        const cycle = chain.slice(at);
        const key = [...cycle].sort().join('\u0000');
        if (!reported.has(key)) {
          reported.add(key);
          const first = cycle[0] as string;
          findings.push(
            semanticFinding(
              childPointer('/targets', first, 'onUnmet', 'target'),
              `the fallback chain never ends: ${[...cycle, first].map((t) => '`' + t + '`').join(' → ')}`,
              { hint: 'end it at a target without requirements, or block' },
            ),
          );
        }
        break;
      }
      chain.push(next);
      current = targets[next];
    }
  }
}

function checkClassifier(spec: string, pointer: string, known: readonly string[], findings: SemanticFinding[]): void {
  if (!/^[a-z0-9][a-z0-9._-]*(\s*>\s*[a-z0-9][a-z0-9._-]*)*$/.test(spec)) {
    findings.push(
      semanticFinding(pointer, `\`${spec}\` is not a classifier name or cascade`, {
        hint: `one of ${listOf(known)}, or a cascade such as \`lexicon>openai-moderation\``,
      }),
    );
    return;
  }
  for (const part of spec.split('>').map((p) => p.trim())) {
    if (known.includes(part)) continue;
    const s = didYouMean(part, known);
    findings.push(
      semanticFinding(pointer, `unknown classifier \`${part}\`${s != null ? `; did you mean \`${s}\`?` : ''}`, {
        hint: s != null ? undefined : `one of ${listOf(known)}`,
      }),
    );
  }
}
