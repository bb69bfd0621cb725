import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../util/seeded-random.js';
import { closingInstruction, hasThreeWords, MAX_INSTRUCTION, MIN_TEXT } from './closing-instruction.js';

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

  it('counts words as splitting on white space does, for every kind of white space', () => {
    const rnd = createSeededRandom(11);
    const pieces = ['a', 'word', ' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2003', '\u2028', '\u202f', '\u3000', '\ufeff', '\u200b', '-', 'é'];
    let three = 0;
    for (let k = 0; k < 10_000; k++) {
      let s = '';
      const len = 1 + Math.floor(rnd() * 9);
      for (let j = 0; j < len; j++) s += pieces[Math.floor(rnd() * pieces.length)]!;
      const t = s.trim();
      if (t === '') continue;
      const expected = t.split(/\s+/).length >= 3;
      if (expected) three++;
      expect(hasThreeWords(t), JSON.stringify(t)).toBe(expected);
    }
    expect(three).toBeGreaterThan(300);
    expect(three).toBeLessThan(9000);
  });
});
