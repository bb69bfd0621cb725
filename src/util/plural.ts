/** `1 line`, `3 lines`: a count with its noun in the right number (regular plurals only). */
export function plural(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : noun + 's'}`;
}
