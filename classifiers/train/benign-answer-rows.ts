/**
 * Harmless, helpful model answers, written as seeded templates for responses_benign.jsonl
 * (`unsafe` 0, output stage).
 *
 * Why: the output-stage model (train-output-model.ts) learns from GPTFuzz answers to harmful
 * questions, where complying ("Sure, here are the steps: 1. …") is what makes an answer
 * harmful. Without answers that comply with a harmless request, "Sure! Here is a recipe: 1.
 * Preheat the oven…" reads as the same compliance. Each answer is built from an opener, a topic
 * with its steps, and a closer, in the shapes assistants answer in: numbered steps, a short
 * explanation, a persona voice. `goal` is the topic.
 */

export interface BenignAnswerRow {
  text: string;
  goal: string;
}

interface Topic {
  goal: string;
  intro: string;
  steps: readonly string[];
}

const TOPICS: readonly Topic[] = [
  { goal: 'banana bread', intro: 'a simple banana bread', steps: ['Preheat the oven to 175°C and grease a loaf tin.', 'Mash three ripe bananas in a bowl.', 'Stir in melted butter, sugar, an egg and a teaspoon of vanilla.', 'Fold in flour, baking soda and a pinch of salt.', 'Bake for about 60 minutes, until a skewer comes out clean.'] },
  { goal: 'job interview', intro: 'preparing for a job interview', steps: ['Research the company and its products.', 'Prepare short stories that show your skills, using the STAR method.', 'Practise answers out loud with a friend.', 'Prepare two or three questions for the interviewer.', 'Plan your route and arrive ten minutes early.'] },
  { goal: 'tides', intro: 'how tides work', steps: ['The Moon\'s gravity pulls on the oceans, creating a bulge on the side facing it.', 'A second bulge forms on the opposite side, where the Earth is pulled away from the water.', 'As the Earth rotates, a coastline passes through both bulges, giving two high tides a day.', 'When the Sun and Moon line up, their pulls add up and we get spring tides.'] },
  { goal: 'python palindrome', intro: 'checking for palindromes in Python', steps: ['Normalise the string: lower-case it and keep only letters and digits.', 'Compare the string with its reverse, s[::-1].', 'Return True when they are equal.', 'Test it with "A man, a plan, a canal: Panama".'] },
  { goal: 'houseplants', intro: 'keeping houseplants healthy', steps: ['Water only when the top few centimetres of soil are dry.', 'Give most plants bright, indirect light.', 'Use pots with drainage holes.', 'Feed them lightly during spring and summer.', 'Wipe the leaves so they can breathe and catch light.'] },
  { goal: 'budget', intro: 'making a monthly budget', steps: ['Write down your income after tax.', 'List fixed costs such as rent, utilities and insurance.', 'Track variable spending for a month.', 'Set a savings goal and pay yourself first.', 'Review the budget every month and adjust.'] },
  { goal: 'running', intro: 'starting to run as a beginner', steps: ['Start with run-walk intervals: one minute running, two minutes walking.', 'Run three times a week with a rest day in between.', 'Increase your running time by about ten percent a week.', 'Invest in comfortable shoes.', 'Stretch gently after each run.'] },
  { goal: 'bike tyre', intro: 'fixing a flat bicycle tyre', steps: ['Remove the wheel and let out any remaining air.', 'Use tyre levers to take one side of the tyre off the rim.', 'Pull out the inner tube and find the hole by pumping it up and listening.', 'Patch the hole or fit a new tube.', 'Refit the tyre, inflate it and put the wheel back on.'] },
  { goal: 'photosynthesis', intro: 'photosynthesis', steps: ['Plants take in carbon dioxide through their leaves and water through their roots.', 'Chlorophyll in the leaves captures energy from sunlight.', 'That energy splits water and combines hydrogen with carbon dioxide to make glucose.', 'Oxygen is released as a by-product.'] },
  { goal: 'cover letter', intro: 'writing a strong cover letter', steps: ['Address the hiring manager by name if you can.', 'Open with the role and why it excites you.', 'Give two concrete examples of what you achieved.', 'Connect your skills to what the job description asks for.', 'Close with a polite call to action.'] },
  { goal: 'sleep', intro: 'sleeping better', steps: ['Go to bed and wake up at the same time every day.', 'Keep the bedroom dark, quiet and cool.', 'Avoid caffeine after midday.', 'Put screens away an hour before bed.', 'If you cannot sleep after twenty minutes, get up and read until you feel tired.'] },
  { goal: 'rome trip', intro: 'three days in Rome on a budget', steps: ['Day one: the Colosseum, the Forum and the Palatine Hill on one ticket.', 'Day two: the Vatican Museums early in the morning, then St Peter\'s Basilica.', 'Day three: Trastevere, the Pantheon and the Trevi Fountain.', 'Eat lunch at a tavola calda and drink from the free public fountains.'] },
  { goal: 'sql', intro: 'finding the ten best-selling products in SQL', steps: ['Join the orders table with the products table on product_id.', 'Group by the product and sum the quantity sold.', 'Order by that sum in descending order.', 'Add LIMIT 10 to keep the top ten.'] },
  { goal: 'chess', intro: 'the rules of chess', steps: ['Each player starts with sixteen pieces on an eight by eight board.', 'White moves first, and players alternate moves.', 'Each piece moves in its own way: bishops diagonally, rooks in straight lines, knights in an L shape.', 'The goal is checkmate: the king is attacked and cannot escape.'] },
  { goal: 'salary', intro: 'negotiating a higher salary', steps: ['Research what the role pays in your area.', 'Let the employer make the first offer if you can.', 'Ask for a specific number slightly above your target.', 'Explain the value you bring with examples.', 'Be ready to negotiate on benefits if the salary is fixed.'] },
  { goal: 'vaccines', intro: 'how vaccines work', steps: ['A vaccine shows the immune system a harmless piece or copy of a germ.', 'The immune system makes antibodies and memory cells against it.', 'If the real germ arrives later, the body recognises it and responds quickly.', 'This is why vaccinated people get ill less often or less severely.'] },
  { goal: 'wasp nest', intro: 'dealing with a wasp nest safely', steps: ['Keep children and pets away from the area.', 'If the nest is small and easy to reach, treat it at dusk when wasps are calm.', 'Wear long sleeves, gloves and eye protection.', 'For large nests or allergies, call a pest control professional.'] },
  { goal: 'kill a process', intro: 'stopping a stuck process on Linux', steps: ['Find the process ID with ps aux | grep name or with top.', 'Send a polite stop signal with kill PID.', 'If it does not stop, use kill -9 PID to force it.', 'Check with ps that it is gone.'] },
  { goal: 'garden weeds', intro: 'getting rid of weeds without harming pets', steps: ['Pull weeds by hand after rain, when the soil is soft.', 'Pour boiling water on weeds growing between paving stones.', 'Cover bare soil with mulch to stop new weeds.', 'Use a vinegar-based spray on a dry, calm day and keep pets away until it dries.'] },
  { goal: 'first aid burns', intro: 'first aid for a minor burn', steps: ['Cool the burn under cool running water for twenty minutes.', 'Remove rings or tight items near the burn.', 'Cover it loosely with cling film or a clean plastic bag.', 'Take a painkiller if needed, and see a doctor if the burn is large or blistering badly.'] },
];

const OPENERS = [
  'Sure! Here is a guide to',
  'Of course. Here are the steps for',
  'Great question. Here is how to approach',
  'Absolutely, here is a step-by-step guide to',
  'Happy to help with',
  'Here is what you need to know about',
];
const CLOSERS = ['', ' Let me know if you want more detail on any step.', ' I hope this helps!', ' Good luck, and enjoy it!', ' Feel free to ask follow-up questions.'];
const PERSONA_PREFIXES = ['', '', '', 'As your assistant: ', 'Tutor: ', 'Coach: '];

export function buildBenignAnswerRows(random: () => number, perTopic: number): BenignAnswerRow[] {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const rows: BenignAnswerRow[] = [];
  for (const t of TOPICS) {
    for (let k = 0; k < perTopic; k++) {
      const numbered = random() < 0.6;
      const body = numbered ? t.steps.map((s, i) => `${i + 1}. ${s}`).join('\n') : t.steps.join(' ');
      const text = `${pick(PERSONA_PREFIXES)}${pick(OPENERS)} ${t.intro}:\n\n${body}\n${pick(CLOSERS)}`.trim();
      rows.push({ text, goal: t.goal });
    }
  }
  return rows;
}
