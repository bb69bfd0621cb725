/**
 * Explicit scenes between adults, as a model on the restricted target writes them, for
 * responses_adult.jsonl, labelled `sexual/minors` 0.
 *
 * Why: the only explicit narrative in the training data is the OpenAI moderation rows, where a
 * good share of it is labelled `sexual/minors`; without adult scenes as negatives the minors head
 * scored an ordinary love scene ("she moaned as his hands slid under her dress…") 0.45–0.55,
 * above the default block at 0.3, so the restricted model's answers to verified adults were
 * refused as child abuse material. An age or a child in the text still scores through the
 * lexicon, which the embedded classifier keeps (maximum) for that category.
 */

const PAIRS = [
  'Maya and Daniel',
  'The two of them',
  'Claire and her husband',
  'Marco and Lena',
  'The newlyweds',
  'Sofia and her girlfriend',
  'James and Oliver',
  'The couple',
  'Nadia and the stranger from the bar',
  'Helen and her boyfriend of ten years',
  'Rachel and her colleague',
  'Tom and his wife',
];
const WHO = [
  '',
  '',
  ', both in their thirties,',
  ', two consenting adults,',
  ', married for twelve years,',
  ', in their late twenties,',
  ', after years of friendship,',
];
const SETTINGS = [
  'in the hotel room',
  'on the couch',
  'in the shower',
  'by the fireplace',
  'in the back seat of the car',
  'in the cabin during the storm',
  'on the kitchen table',
  'in her apartment',
  'under the sheets',
  'on the balcony at midnight',
];
const OPENINGS = [
  (p: string, w: string, s: string) => `${p}${w} kissed hungrily ${s}, tearing at each other's clothes.`,
  (p: string, w: string, s: string) => `${p}${w} undressed each other slowly ${s}.`,
  (p: string, w: string, s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}, ${p.startsWith('The ') ? `the${p.slice(3)}` : p}${w} could not wait any longer.`,
  (p: string, w: string, s: string) => `${p}${w} fell onto the bed ${s}, breathing hard.`,
];
const ACTS = [
  'His hands slid over her naked body as she moaned and pulled him closer.',
  'She straddled him and rode him until they both came.',
  'He kissed his way down her stomach and she gasped as his tongue found her.',
  'They had sex slowly, then harder, her nails digging into his back.',
  'She wrapped her lips around his cock and he groaned her name.',
  'He pressed her against the wall and entered her, and she cried out with pleasure.',
  'Their bodies moved together, sweaty and urgent, until she climaxed, trembling.',
  'She touched herself while he watched, then pulled him on top of her.',
  'He came with a shudder, and she laughed and kissed him.',
  'They made love until dawn, exploring every inch of each other.',
  'He fucked her hard and she begged him not to stop.',
  'She moaned into the pillow as he took her from behind.',
];
const ENDINGS = ['', '', ' Afterwards they lay tangled together, laughing softly.', ' Neither of them wanted the night to end.', ' "Again," she whispered.'];

export function buildAdultSceneRows(random: () => number, count: number): { text: string; goal: string }[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const rows: { text: string; goal: string }[] = [];
  const seen = new Set<string>();
  for (let i = 0; rows.length < count && i < count * 10; i++) {
    const pair = pick(PAIRS);
    const first = pick(ACTS);
    let second = pick(ACTS);
    if (second === first) second = pick(ACTS);
    const text = `${pick(OPENINGS)(pair, pick(WHO), pick(SETTINGS))} ${first} ${second}${pick(ENDINGS)}`;
    if (seen.has(text)) continue;
    seen.add(text);
    rows.push({ text, goal: `scene: ${pair}` });
  }
  return rows;
}
