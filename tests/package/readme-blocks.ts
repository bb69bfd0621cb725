/**
 * The shell and TypeScript code blocks of a Markdown file, as the README test runs them.
 *
 * - A block is skipped only when the line right above its fence is
 *   `<!-- readme-test: skip: REASON -->`; the test reports each skip with its reason.
 * - A shell block whose lines start with `$ ` is a transcript: each command is run on its own and
 *   the lines under it are what it prints (a line `...` stands for any number of lines, `…` in a
 *   line for any text). A
 *   `# exits N` comment on the command gives its exit status (default 0).
 * - Any other shell block is a script, run as one `bash -e` session.
 * - In a TypeScript block, `// → TEXT` after a statement is a line it prints, in order.
 */
export type BlockLanguage = 'ts' | 'sh';

export interface ReadmeBlock {
  language: BlockLanguage;
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
  /** Why the block is not run, from its marker. */
  skip?: string;
}

export interface TranscriptStep {
  command: string;
  exitCode: number;
  /** The lines shown under the command; `...` matches any run of lines. */
  expected: string[];
}

const LANGUAGES: Record<string, BlockLanguage> = { ts: 'ts', typescript: 'ts', sh: 'sh', bash: 'sh', shell: 'sh', console: 'sh' };
const SKIP = /^<!--\s*readme-test:\s*skip:\s*(.+?)\s*-->$/;
const EXITS = /#\s*exits (\d+)\s*$/;

export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    if (end >= lines.length) throw new Error(`the code block at line ${start + 1} is not closed`);
    i = end;
    const language = LANGUAGES[open[1]!.toLowerCase()];
    if (language === undefined) continue;
    const skip = SKIP.exec((lines[start - 1] ?? '').trim())?.[1];
    blocks.push({ language, line: start + 1, code: lines.slice(start + 1, end).join('\n'), ...(skip !== undefined ? { skip } : {}) });
  }
  return blocks;
}

export function isTranscript(block: ReadmeBlock): boolean {
  return block.language === 'sh' && block.code.split('\n').some((l) => l.startsWith('$ '));
}

export function transcriptSteps(code: string): TranscriptStep[] {
  const steps: TranscriptStep[] = [];
  for (const line of code.split('\n')) {
    if (line.startsWith('$ ')) {
      const command = line.slice(2);
      steps.push({ command, exitCode: Number(EXITS.exec(command)?.[1] ?? 0), expected: [] });
    } else if (steps.length === 0) {
      if (line.trim() !== '') throw new Error(`a transcript starts with a \`$ \` command, not \`${line}\``);
    } else {
      steps[steps.length - 1]!.expected.push(line.trimEnd());
    }
  }
  for (const step of steps) while (step.expected.at(-1) === '') step.expected.pop();
  return steps;
}

/** The `// → TEXT` lines a TypeScript block says it prints, in order. */
export function expectedPrints(code: string): string[] {
  return [...code.matchAll(/\/\/ → (.*)$/gm)].map((m) => m[1]!.trimEnd());
}

/** An expected output line matches an actual one exactly, except that `…` in it stands for any text. */
export function lineMatches(expected: string, actual: string): boolean {
  if (!expected.includes('…')) return expected === actual;
  const pattern = expected.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}$`).test(actual);
}

/**
 * Whether `actual` (lines) matches `expected`, where a `...` line matches any run of lines.
 * Returns the first expected line that could not be matched, or undefined.
 */
export function unmatchedLine(expected: readonly string[], actual: readonly string[]): string | undefined {
  const match = (e: number, a: number): boolean => {
    if (e === expected.length) return a === actual.length;
    if (expected[e] === '...') {
      for (let k = a; k <= actual.length; k++) if (match(e + 1, k)) return true;
      return false;
    }
    return a < actual.length && lineMatches(expected[e]!, actual[a]!) && match(e + 1, a + 1);
  };
  if (match(0, 0)) return undefined;
  // The first expected line not found in order, for the message.
  let a = 0;
  for (const line of expected) {
    if (line === '...') continue;
    const found = actual.findIndex((l, i) => i >= a && lineMatches(line, l));
    if (found < 0) return line;
    a = found + 1;
  }
  return '(the lines appear, but with other lines between or after them)';
}

/** Whether every `// →` line appears in `actual`, in order, other lines allowed between them. */
export function missingPrint(expected: readonly string[], actual: readonly string[]): string | undefined {
  let a = 0;
  for (const line of expected) {
    const found = actual.indexOf(line, a);
    if (found < 0) return line;
    a = found + 1;
  }
  return undefined;
}
