import { describe, expect, it } from 'vitest';
import { closingInstruction, MAX_INSTRUCTION, MIN_TEXT } from './closing-instruction.js';

const document = Array.from({ length: 12 }, (_, i) => `Line ${i + 1} of a pasted document about the history of the town bridge and its repairs.`).join('\n');

describe('closingInstruction', () => {
  it('finds the last paragraph after a longer pasted document, separator lines left out', () => {
    expect(closingInstruction(`${document}\n\n---\n\nSummarise the document in three bullet points.`)).toBe('Summarise the document in three bullet points.');
    expect(closingInstruction(`${document}\n\n---\nSummarise the document in three bullet points.\n`)).toBe('Summarise the document in three bullet points.');
    expect(closingInstruction(`${document}\r\n\r\nSummarise the document, please.`)).toBe('Summarise the document, please.');
  });

  it('finds nothing in a short text, a text without a blank line, or when the last paragraph is most of the text', () => {
    expect(closingInstruction('Short.\n\nExplain how tides work.')).toBeUndefined();
    expect(closingInstruction(`${document}\nSummarise the document in three bullet points.`)).toBeUndefined();
    expect(closingInstruction(`Intro.\n\n${document}`)).toBeUndefined();
    expect(closingInstruction(`${document}\n\nThanks!`)).toBeUndefined();
    expect(closingInstruction(`${document}\n\n${'word '.repeat(MAX_INSTRUCTION / 4)}`)).toBeUndefined();
    expect(document.length).toBeGreaterThan(MIN_TEXT);
  });
});
