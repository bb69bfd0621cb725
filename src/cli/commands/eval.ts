import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command, CommandContext } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { parseCommandArgs } from '../parse-args.js';
import { SaferouteError, UsageError } from '../../errors.js';
import { createClassifierRegistry, defaultClassifierFactories, type ClassifierRegistry } from '../../classifiers/registry.js';
import { loadPolicy } from '../../policy/load-policy.js';
import { PolicyInvalidError } from '../../policy/policy-invalid-error.js';
import { createProgressBar, type ProgressBar } from '../../eval/progress-bar.js';
import { formatEvalReport } from '../../eval/format-eval-report.js';
import { classifierSettingsHint, formatEvalFailures, summarizeEvalFailures } from '../../eval/describe-eval-failures.js';
import { policyThresholds, type PolicyThreshold } from '../../eval/policy-thresholds.js';
import { renderPrCurvesSvg } from '../../eval/render-pr-curves-svg.js';
import { runEval } from '../../eval/run-eval.js';
import { findTrainingOverlap, type TrainingOverlap } from '../../eval/training-overlap.js';
import { loadLinearModel } from '../../classifiers/linear/load-linear-model.js';
import { CATEGORIES, isCategory, type Category } from '../../taxonomy/categories.js';
import { didYouMeanSuffix } from '../../policy/did-you-mean.js';

const usage = `usage: saferoute eval --data FILE.jsonl [--data FILE.jsonl ...] [--classifier NAME] [options]

Measures a classifier on labeled JSON Lines, one {"text": "...", "labels": {"sexual": 1, "hate": 0}}
per line; a category absent from "labels" is unknown for that row, not negative. Per category:
precision, recall and F1 at the threshold, the best-F1 threshold, AUPRC (average precision), the
false-positive rate on rows labeled 0; latency p50/p99 over all rows.

  --data FILE         labeled JSONL (repeatable)
  --classifier NAME   embedded (default), lexicon, linear, pii, openai-moderation, llama-guard,
                      or a cascade, cheapest first: embedded>openai-moderation
  --category NAME     measure only this category (repeatable; default: all the classifier scores)
  --policy FILE       thresholds from the policy: per category the lowest gte/gt that a rule of
                      the stage compares it with; 0.5 for categories it does not compare
  --stage STAGE       input (default) or output
  --json              print the report as JSON: "categories" keyed by category (precision,
                      recall, f1, auprc, fpr, support, ...), "latencyMs", ...
  --svg FILE          also write the precision-recall curves as SVG (nothing is written unless asked)
  --strict            stop at the first malformed line instead of warning and going on
  --limit N           stop after N rows
  --concurrency N     classifications in flight at once (default 8)

Remote classifiers read OPENAI_API_KEY, OPENAI_BASE_URL, SAFEROUTE_OLLAMA_HOST and
SAFEROUTE_LLAMA_GUARD_MODEL from the environment.

Rows whose classification fails are left out of the metrics; for each error code the first
failure's message (server and cause) is printed to standard error, with the settings to check,
and under --json the report carries it as "failureSummary" ({allFailed, failures, hint}).

A data file that the shipped linear model was trained on (same bytes as a file its manifest
lists) is named on standard error, and under --json in "inSample": figures on it are in-sample
and better than on new data.

Exit status: 0 done (malformed lines are warned about, with file:line; some rows may have failed),
1 --strict stopped at a data problem or a data file cannot be read, 64 usage error, 78
configuration problem (unknown classifier, invalid policy, missing API key) or every row failed
(e.g. the classifier's server cannot be reached: nothing was measured).`;

const MAX_PRINTED_WARNINGS = 50;

export interface EvalCommandDeps {
  /** Where classifiers come from (default: the shipped ones, configured from `ctx.env`). */
  registry?: (ctx: CommandContext) => ClassifierRegistry;
}

export function createEvalCommand(deps: EvalCommandDeps = {}): Command {
  return {
    name: 'eval',
    summary: 'measure a classifier on labeled JSONL: precision, recall, F1, AUPRC, FPR, latency',
    usage,
    async run(argv, ctx) {
      const { values, positionals } = parseCommandArgs(argv, {
        data: { type: 'string', multiple: true },
        classifier: { type: 'string' },
        category: { type: 'string', multiple: true },
        policy: { type: 'string' },
        stage: { type: 'string' },
        json: { type: 'boolean' },
        svg: { type: 'string' },
        strict: { type: 'boolean' },
        limit: { type: 'string' },
        concurrency: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      });
      if (values.help) {
        ctx.stdout.write(usage + '\n');
        return EXIT.ok;
      }
      if (positionals.length > 0) throw new UsageError(`unexpected argument \`${positionals[0]}\`; data files go after \`--data\``);
      const data = values.data ?? [];
      if (data.length === 0) throw new UsageError('no data: give at least one `--data FILE.jsonl`');
      const stage = values.stage ?? 'input';
      if (stage !== 'input' && stage !== 'output') throw new UsageError(`\`--stage\` must be \`input\` or \`output\`, not \`${stage}\``);
      const limit = values.limit != null ? positiveInt('--limit', values.limit) : undefined;
      const concurrency = values.concurrency != null ? positiveInt('--concurrency', values.concurrency, 1024) : 8;
      const spec = values.classifier ?? 'embedded';

      const registry = (deps.registry ?? ((c: CommandContext) => createClassifierRegistry(defaultClassifierFactories(c.env))))(ctx);
      const classifier = registry.get(spec);
      const categories = (values.category ?? []).map((name) => {
        if (!isCategory(name)) {
          const near = didYouMeanSuffix(name, CATEGORIES);
          const list = near !== '' ? near : `; \`${classifier.id}\` scores ${classifier.categories.map((c) => `\`${c}\``).join(', ')}`;
          throw new UsageError(`unknown category \`${name}\`${list}`);
        }
        if (!classifier.categories.includes(name)) {
          throw new UsageError(`\`${classifier.id}\` does not score \`${name}\`; it scores ${classifier.categories.map((c) => `\`${c}\``).join(', ')}`);
        }
        return name;
      });

      let thresholds: Map<Category, PolicyThreshold> | undefined;
      if (values.policy) {
        const loaded = await loadPolicy(resolve(ctx.cwd, values.policy));
        if (!loaded.ok) throw new PolicyInvalidError(loaded.issues);
        thresholds = policyThresholds(loaded.policy.document.rules, stage);
      }

      const files = data.map((name) => ({ name, path: resolve(ctx.cwd, name) }));
      // Created at the first progress report, when the total size is known.
      let bar: ProgressBar | undefined;
      let printed = 0;
      let suppressed = 0;
      const { report, curves } = await runEval({
        classifier,
        files,
        stage,
        ...(categories.length > 0 ? { categories } : {}),
        ...(thresholds ? { thresholds } : {}),
        ...(limit != null ? { limit } : {}),
        ...(values.strict ? { strict: true } : {}),
        concurrency,
        onWarning: (w) => {
          // Under --strict the first problem stops the run and is reported once, below.
          if (values.strict) return;
          if (printed >= MAX_PRINTED_WARNINGS) {
            suppressed += 1;
            return;
          }
          printed += 1;
          bar?.finish();
          ctx.stderr.write(`warning: ${w.file}:${w.line}: ${w.message}\n`);
        },
        onProgress: ({ bytes, totalBytes, rows }) => {
          bar ??= createProgressBar(ctx.stderr, limit ?? totalBytes);
          bar.update(limit != null ? rows : bytes, rows);
        },
      }).finally(() => bar?.finish());
      if (suppressed > 0) ctx.stderr.write(`warning: ${suppressed} more warnings not shown\n`);

      if (values.svg) {
        const series = (Object.keys(report.categories) as Category[]).map((category) => ({
          label: category,
          points: curves[category] ?? [],
          auprc: report.categories[category]?.auprc ?? null,
        }));
        const path = resolve(ctx.cwd, values.svg);
        try {
          await writeFile(path, renderPrCurvesSvg(series, `Precision–recall: ${report.classifier.id}`), 'utf8');
        } catch (error) {
          throw new SaferouteError('config_invalid', `cannot write the SVG to \`${values.svg}\`: ${(error as Error).message}`, { cause: error });
        }
      }

      // Failed rows are left out of the metrics; say why (the first message per code names the
      // server and the cause) and which settings to check, so a run of `—` is never unexplained.
      const failures = summarizeEvalFailures(report, deps.registry ? undefined : classifierSettingsHint(spec));
      const inSample = deps.registry || !usesShippedLinearModel(spec) ? [] : await findTrainingOverlap(files, loadLinearModel().training);
      if (values.json) {
        const extra = { ...(failures ? { failureSummary: failures } : {}), ...(inSample.length > 0 ? { inSample } : {}) };
        ctx.stdout.write(JSON.stringify({ ...report, ...extra }, null, 2) + '\n');
      } else if (failures?.allFailed) {
        // A table of dashes would look like a result; say plainly that nothing was measured.
        const byCode = Object.entries(report.failed).map(([code, n]) => `${code} ${n}`).join(', ');
        ctx.stdout.write(`classifier \`${report.classifier.id}\`: nothing measured, failed rows: ${report.rows} (${byCode})\n`);
      } else if (!report.stopped) ctx.stdout.write(formatEvalReport(report));
      if (inSample.length > 0) ctx.stderr.write(formatInSample(inSample));
      if (failures) ctx.stderr.write(formatEvalFailures(failures, report.classifier.id));
      if (report.stopped) {
        const { file, line, message } = report.stopped;
        ctx.stderr.write(`saferoute eval: stopped at ${file}:${line} (--strict): ${message}; fix the line, or drop --strict to skip such lines\n`);
        return EXIT.invalid;
      }
      // Nothing was measured: a failed run, as when the classifier cannot run at all.
      if (failures?.allFailed) return EXIT.config;
      return EXIT.ok;
    },
  };
}

/** `saferoute eval`, reading classifiers from the shipped registry. */
export const evalCommand: Command = createEvalCommand();

/** Whether a classifier spec (`embedded`, `linear`, `embedded>llama-guard`, …) runs the committed linear model. */
function usesShippedLinearModel(spec: string): boolean {
  return /(^|[^\w-])(embedded|linear)(?![\w-])/.test(spec);
}

function formatInSample(overlap: readonly TrainingOverlap[]): string {
  const files = overlap.map((o) => `${o.file} (${o.rowsUsed} rows)`).join(', ');
  return (
    `note: the linear model was trained on ${files}: figures on ${overlap.length === 1 ? 'it' : 'them'} are in-sample and better than on new data.\n` +
    '      Out-of-fold figures are in classifiers/models/linear.manifest.json ("metrics"); measure on data the model has not seen.\n'
  );
}

function positiveInt(flag: string, raw: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < 1 || n > max) {
    throw new UsageError(`\`${flag}\` takes a whole number from 1${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}, not \`${raw}\``);
  }
  return n;
}
