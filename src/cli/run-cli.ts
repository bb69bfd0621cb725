import { didYouMean } from '../policy/did-you-mean.js';
import type { Command, CommandContext } from './command.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { SaferouteError } from '../errors.js';
import { COMMANDS } from './commands.js';
import { guardOutput, isOutputClosedError } from './write-out.js';
import { packageVersion } from './package-version.js';

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'saferoute — content-safety policy engine for LLM applications',
    '',
    'usage: saferoute COMMAND [options]     (saferoute help COMMAND for details)',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'exit status: 0 ok, 1 invalid input/policy/log, 2 policy tests failed, 64 usage error,',
    '             78 configuration problem, 70 internal error',
  ].join('\n');
}

/** Finds the longest command name that prefixes argv (`audit verify` before `audit`). */
function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  const sorted = [...COMMANDS].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const command of sorted) {
    const words = command.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) return { command, rest: argv.slice(words.length) };
  }
  return undefined;
}

/** The commands of a group (`audit` → `audit verify`, `audit query`, …); empty for a plain command. */
function groupOf(word: string): Command[] {
  return COMMANDS.filter((c) => c.name.startsWith(word + ' '));
}

function groupUsage(group: readonly Command[]): string {
  return group.map((c) => c.usage).join('\n\n');
}

/** Why `words` selects no command: an unknown command, a group without (or with a wrong) subcommand. */
function unknownHint(words: readonly string[], group: readonly Command[] | undefined): string {
  const [first, second] = words;
  if (group === undefined || group.length === 0) {
    const known = COMMANDS.some((c) => c.name === first);
    // `help check extra`: a real command followed by words that are not a subcommand.
    if (known && second !== undefined) return `\`${first}\` has no subcommand \`${second}\`; run \`saferoute help ${first}\``;
    const close = didYouMean(first ?? '', new Set(COMMANDS.map((c) => c.name.split(' ')[0]!)));
    return `unknown command \`${first ?? ''}\`${close ? ` (did you mean \`${close}\`?)` : ''}; run \`saferoute --help\` for the list`;
  }
  const subs = group.map((c) => c.name.split(' ').slice(1).join(' ')).join(', ');
  if (second === undefined || second.startsWith('-')) return `\`${first}\` needs a subcommand: ${subs}`;
  const close = didYouMean(second, group.map((c) => c.name.split(' ').slice(1).join(' ')));
  return `unknown subcommand \`${second}\` of \`${first}\`${close ? ` (did you mean \`${first} ${close}\`?)` : ''}; expected one of: ${subs}`;
}

/** Runs one command line; every error is mapped to a message and an exit code here. */
export async function runCli(argv: string[], ctx: CommandContext): Promise<number> {
  guardOutput(ctx.stdout);
  guardOutput(ctx.stderr);
  const [first] = argv;
  if (first === undefined || first === '--help' || first === '-h') {
    ctx.stdout.write(overview() + '\n');
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  if (first === '--version' || first === '-v') {
    ctx.stdout.write(packageVersion() + '\n');
    return EXIT.ok;
  }
  if (first === 'help') {
    const topic = argv.slice(1);
    if (topic.length === 0) {
      ctx.stdout.write(overview() + '\n');
      return EXIT.ok;
    }
    const found = findCommand(topic);
    if (found && found.rest.length === 0) {
      ctx.stdout.write(found.command.usage + '\n');
      return EXIT.ok;
    }
    const group = groupOf(topic[0]!);
    if (!found && group.length > 0 && topic.length === 1) {
      ctx.stdout.write(groupUsage(group) + '\n');
      return EXIT.ok;
    }
    ctx.stderr.write(`saferoute: ${unknownHint(topic, found ? undefined : group)}\n`);
    return EXIT.usage;
  }
  const found = findCommand(argv);
  const asksHelp = (args: readonly string[]): boolean => {
    const end = args.indexOf('--');
    return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
  };
  if (found && asksHelp(found.rest)) {
    ctx.stdout.write(found.command.usage + '\n');
    return EXIT.ok;
  }
  if (!found) {
    const group = groupOf(first);
    if (group.length > 0 && asksHelp(argv.slice(1))) {
      ctx.stdout.write(groupUsage(group) + '\n');
      return EXIT.ok;
    }
    ctx.stderr.write(`saferoute: ${unknownHint(argv, group)}\n`);
    return EXIT.usage;
  }
  try {
    return await found.command.run(found.rest, ctx);
  } catch (error) {
    // The reader closed stdout (`… | head`): stop quietly, as Unix filters do.
    if (isOutputClosedError(error)) return EXIT.ok;
    const code = exitCodeFor(error);
    if (error instanceof SaferouteError) {
      ctx.stderr.write(`saferoute ${found.command.name}: ${error.message}\n`);
      if (error.code === 'usage') ctx.stderr.write(`\n${found.command.usage}\n`);
    } else {
      ctx.stderr.write(`saferoute ${found.command.name}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    return code;
  }
}
