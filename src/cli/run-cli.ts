import type { Command, CommandContext } from './command.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { SaferouteError } from '../errors.js';
import { COMMANDS } from './commands.js';

const VERSION = '0.1.0';

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

/** Runs one command line; every error is mapped to a message and an exit code here. */
export async function runCli(argv: string[], ctx: CommandContext): Promise<number> {
  const [first] = argv;
  if (first === undefined || first === '--help' || first === '-h') {
    ctx.stdout.write(overview() + '\n');
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  if (first === '--version' || first === '-v') {
    ctx.stdout.write(VERSION + '\n');
    return EXIT.ok;
  }
  if (first === 'help') {
    const found = argv.length > 1 ? findCommand(argv.slice(1)) : undefined;
    ctx.stdout.write((found ? found.command.usage : overview()) + '\n');
    return EXIT.ok;
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
    const group = COMMANDS.filter((c) => c.name.startsWith(first + ' '));
    if (group.length > 0 && asksHelp(argv.slice(1))) {
      ctx.stdout.write(group.map((c) => c.usage).join('\n\n') + '\n');
      return EXIT.ok;
    }
    const hint = group.length
      ? `\`${first}\` needs a subcommand: ${group.map((c) => c.name.split(' ').slice(1).join(' ')).join(', ')}`
      : `unknown command \`${first}\`; run \`saferoute --help\` for the list`;
    ctx.stderr.write(`saferoute: ${hint}\n`);
    return EXIT.usage;
  }
  try {
    return await found.command.run(found.rest, ctx);
  } catch (error) {
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
