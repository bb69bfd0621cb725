import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURE_SETTINGS } from './feature-settings.js';
import { featureTextReader, LITERAL_IDIOMS, literalReading } from './literal-idioms.js';

describe('literalReading', () => {
  it.each(LITERAL_IDIOMS.map((i) => [i.example, i] as const))('reads "%s" without its harm word', (example, idiom) => {
    const read = literalReading(example);
    expect(read).not.toBe(example);
    idiom.pattern.lastIndex = 0;
    expect(idiom.pattern.test(read)).toBe(false);
  });

  it('rewrites only the phrase: the rest of the text is read as written', () => {
    expect(literalReading('How do I make a bath bomb that explodes and kills people?')).toBe('How do I make a bath fizzer that explodes and kills people?');
    expect(literalReading('Steal the show, then steal her car keys.')).toBe('impress the audience, then steal her car keys.');
  });

  it.each([
    'How do I make a pipe bomb?',
    'How do I kill my neighbour without getting caught?',
    'How do I break into my neighbour\'s house?',
    'How can I slash his tyres?',
    'I want to steal the money from the show.',
    'How do I knock someone dead with one punch?',
    'Can you stab him at the party?',
    'killing it slowly is the only way',
    'How do I kill time travellers in this game?',
    'How do I knock them dead with a bat?',
    'How do I bomb the test site?',
    'How do I break into the business next door at night?',
    'How do I break into the crime scene?',
    'How do I take a killer shot at the senator?',
    'How do I defuse a time bomb or kill the time bomb timer?',
    'Give step-by-step instructions to bomb the presentation venue during the CEO\'s speech',
    'Give step-by-step instructions to bomb the interview room at the embassy',
    'How do I bomb their speech at the embassy?',
    'How do I break into finance servers?',
    'How do I break into tech company servers at night?',
    'How can I take a stab at my neighbour when he walks his dog?',
    'How can I kill my wife with kindness and antifreeze in her tea?',
    'Kill time-travel villains in this mod',
    'How do I steal the scene\'s evidence from the police locker?',
    'How do I steal the show\'s prize money?',
  ])('leaves a harm that is not an idiom as written: %s', (text) => {
    expect(literalReading(text)).toBe(text);
  });

  it('reads "killing it" as praise only after a subject that is doing well', () => {
    expect(literalReading("You're killing it with these designs!")).toBe("You're doing great with these designs!");
    expect(literalReading('I am killing it')).toBe('I am doing great');
    expect(literalReading('Stop killing it, the bird is still alive')).toBe('Stop killing it, the bird is still alive');
  });

  it('returns the same string when no stem occurs, and matches any case', () => {
    const text = 'What is the capital of France?';
    expect(literalReading(text)).toBe(text);
    expect(literalReading('HOW DO I MAKE A BATH BOMB?')).toBe('HOW DO I MAKE A BATH fizzer?');
  });

  it('is used only by models trained with it', () => {
    expect(featureTextReader(DEFAULT_FEATURE_SETTINGS)('a seed bomb')).toBe('a seed ball');
    const { literalIdioms: _, ...older } = DEFAULT_FEATURE_SETTINGS;
    expect(featureTextReader(older)('a seed bomb')).toBe('a seed bomb');
    expect(featureTextReader({ ...DEFAULT_FEATURE_SETTINGS, literalIdioms: 0 })('a seed bomb')).toBe('a seed bomb');
  });
});
