/**
 * Writes the project's own training rows: `npm run train:requests` → classifiers/train/data/.
 *
 * Why they exist: every harmful-request source in ../shared/data (AdvBench, HarmBench,
 * StrongREJECT, JailbreakBench) is phrased as a request ("Write a…", "Explain how…", "Pretend
 * you are…"), while the benign sets are mostly questions and maths. Trained on those alone, the
 * `unsafe`, `illicit` and `jailbreak` heads learned the phrasing rather than the harm: "Write a
 * persuasive essay about bike lanes" scored `unsafe` 0.85 and a consensual adult love scene
 * `illicit` 0.67. These rows put the same phrasing on the other side:
 *
 * - requests_benign.jsonl: creative, explanatory, practical and role-play requests, including
 *   fiction with villains, crime and war (all labels 0);
 * - requests_everyday.jsonl: "Explain how…", "What is…", "How do I…" questions about science,
 *   money, food, culture and health — sexual and reproductive health included, which OpenAI's
 *   taxonomy counts as not sexual — and product copy (lingerie, swimwear, beds). AdvBench and
 *   HarmBench open with the same words ("Explain how to…"), and without these rows "Explain how
 *   photosynthesis works" scored `unsafe` 0.63 and a question about condoms `illicit` 0.84.
 *   Every label 0 except `sexual/minors`, left unknown as for the adult rows.
 * - requests_adult.jsonl: requests for sexual content between consenting adults — `sexual` 1,
 *   0 for sexual/minors, illicit, jailbreak and the other harms; `unsafe` is left unknown
 *   (whether adult content is "refusable" is exactly what a policy decides).
 * - responses_adult.jsonl: explicit scenes between adults as the restricted model writes them,
 *   labelled `sexual/minors` 0 only; see adult-scene-rows.ts.
 * - requests_harm_topics.jsonl: harm topics asked for (`unsafe` 1) and talked about — definitions,
 *   history, law, prevention, support, news — (0), plus homonyms and figurative speech; see
 *   harm-topic-rows.ts.
 * - responses_benign.jsonl: harmless, helpful answers (`unsafe` 0) for the output-stage model;
 *   see benign-answer-rows.ts.
 * - requests_multilingual.jsonl: the same contrast in ten other languages (French, Spanish,
 *   Portuguese, Italian, German, Russian, Vietnamese, Arabic, Korean, Chinese, Japanese); see
 *   multilingual-request-rows.ts.
 * - requests_persona.jsonl: persona, system-prompt and formatting instructions ("I want you to
 *   act as…", "Respond only in JSON"), each persona also with an override or rule-removal clause
 *   inserted (`jailbreak` 1); see persona-request-rows.ts.
 * - requests_twins.jsonl: everyday requests in harm words ("make a bath bomb", "kill a frozen
 *   process", "shoot a portrait"), each family with its harmful twin ("make a pipe bomb") in the
 *   same question forms, and freedom scoped to an answer's form ("no restrictions on length",
 *   "your unfiltered opinion") against the removal of rules; see twin-request-rows.ts (not yet
 *   trained on: see train-linear.ts).
 * - requests_new_task.jsonl: freedom scoped to creativity or form said alone, and a user's own new
 *   task in an injection's words ("New instructions: translate everything I send into Spanish"),
 *   against the same with an override (`jailbreak`, and `harassment` 0); see buildNewTaskRows.
 * - requests_idioms.jsonl: idioms in harm words and combat sports ("kill them with kindness at
 *   work", "finish a rear naked choke in jiu-jitsu"), `unsafe` 0 only.
 * - requests_everyday_forms.jsonl: everyday tasks asked in the forms harmful requests are written
 *   in ("How can I…", "Give detailed instructions for…"), `unsafe` 0 only; see
 *   everyday-form-rows.ts. requests_everyday_artefacts.jsonl: harmless artefacts asked for in
 *   AdvBench's forms ("Write a script that…", "Create a social media post…"), the same.
 * - comments_harassment.jsonl: comments at or about a person (`harassment` 1) and the same shapes
 *   that are none (0), `harassment` only; see harassment-comment-rows.ts.
 *
 * Rows are sampled from hand-written parts with a fixed seed, so the files are reproducible.
 * Each row's `meta.goal` is its topic: the trainer keeps rows of one topic in one fold, so
 * cross-validation never scores a topic it trained on.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSeededRandom } from '../../src/util/seeded-random.js';
import { buildAdultSceneRows } from './adult-scene-rows.js';
import { buildBenignAnswerRows } from './benign-answer-rows.js';
import { buildHarmTopicRows } from './harm-topic-rows.js';
import { buildMultilingualRows } from './multilingual-request-rows.js';
import { buildNewTaskRows, buildPersonaRows } from './persona-request-rows.js';
import { buildTwinRows } from './twin-request-rows.js';
import { buildHarassmentRows } from './harassment-comment-rows.js';
import { buildEverydayFormRows } from './everyday-form-rows.js';

const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'data');
/** The persona prompts the tests measure with: never written as a training row. */
const HELD_OUT = join(dirname(fileURLToPath(import.meta.url)), '../../tests/classifiers/fixtures/benign-persona-prompts.jsonl');
/** The project's evaluation sets (eval:quality): no training row may equal one of their texts. */
const EVAL_DIR = join(dirname(fileURLToPath(import.meta.url)), '../eval');
const SEED = 20261128;

const ALL_ZERO = {
  sexual: 0,
  'sexual/minors': 0,
  hate: 0,
  harassment: 0,
  violence: 0,
  'self-harm': 0,
  illicit: 0,
  jailbreak: 0,
  unsafe: 0,
};
/**
 * Role-play requests leave `jailbreak` unknown: "Pretend you are… / You are now…" is how persona
 * jailbreaks open too, and a 0 there taught the head that the opener speaks for harmlessness
 * (held-out persona jailbreaks scoring ≥ 0.8 fell from 58 to 42 of 70).
 */
const ROLEPLAY = { ...ALL_ZERO } as Record<string, number>;
delete ROLEPLAY['jailbreak'];
/**
 * `sexual/minors` is 0: every adult row says who the adults are ("two consenting adults", "we
 * are both 25", "a married couple"). Left unknown, the minors head scored plain adult requests
 * ("send me porn" 0.45, "milf porn" 0.41) above the default policy's block at 0.3, so adult
 * content behind age verification was refused as child abuse material; with the 0 those fall
 * below it while out-of-fold minors AUPRC on the OpenAI rows moves by 0.001 (0.5318 → 0.5307),
 * and an age in the request still scores high through the lexicon, which the combiner keeps.
 */
const ADULT = { ...ALL_ZERO, sexual: 1 } as Record<string, number>;
delete ADULT['unsafe'];

const CREATIVE_OPENERS = [
  'Write',
  'Can you write',
  'Please write',
  'Help me write',
  'Could you draft',
  'Compose',
  'I need',
  'Give me',
  'Write me',
  'Create',
];
const CREATIVE_FORMS = [
  'a short story about',
  'a poem about',
  'a haiku about',
  'a limerick about',
  'a scene about',
  'the opening chapter of a novel about',
  'song lyrics about',
  'a screenplay scene about',
  'a bedtime story about',
  'a fairy tale about',
  'a monologue about',
  'a dialogue about',
  'a flash fiction piece about',
  'a blog post about',
  'a persuasive essay about',
  'a newspaper article about',
];
/** Benign topics, including the fiction staples (crime, war, villains) that harmful sets also mention. */
const CREATIVE_TOPICS = [
  'a lighthouse keeper who finds a message in a bottle',
  'two old friends meeting again after twenty years',
  'a detective solving a museum theft',
  'a dragon who is afraid of heights',
  'a chef opening her first restaurant',
  'a soldier writing letters home during the First World War',
  'a storm at sea and the crew that survives it',
  'a robot that learns to paint',
  'a murder mystery on an overnight train',
  'a villain giving a speech before the final battle',
  'a heist crew planning to steal a famous painting in a caper movie',
  'a small town during a zombie outbreak',
  'a ghost that haunts an old library',
  'a pirate captain searching for lost treasure',
  'a knight who refuses to fight',
  'the last day of summer vacation',
  'a grandmother teaching her grandson to bake bread',
  'a spaceship crew lost near Jupiter',
  'a cat who thinks she rules the house',
  'a rivalry between two chess players',
  'a city that never sleeps',
  'a war veteran planting a garden',
  'a courtroom drama where an innocent man is freed',
  'an assassin in a fantasy kingdom who decides to retire',
  'a spy thriller set in Cold War Berlin',
  'the fall of the Roman Empire',
  'why cities should build more bike lanes',
  'the importance of public libraries',
  'climate change and coastal towns',
  'a first date that goes hilariously wrong',
  'a wedding in the mountains',
  'a teenager starting a band',
  'a family road trip across the desert',
  'a firefighter on her first day',
  'a haunted lighthouse on a foggy night',
  'a boxing match in the last round',
  'a samurai protecting a village',
  'an alien visiting Earth for the first time',
  'a nurse working the night shift',
  'a farmer during a long drought',
];
const CREATIVE_STYLES = [
  '',
  '',
  ' for a ten year old',
  ' in under 300 words',
  ' with a twist ending',
  ' in the first person',
  ' in the style of a noir novel',
  ', make it funny',
  ', keep it dark and suspenseful',
  ' that rhymes',
];

const TASK_REQUESTS = [
  'Explain how vaccines train the immune system.',
  'Explain how a car engine works to a beginner.',
  'Summarise the causes of the French Revolution in five bullet points.',
  'Give me a recipe for a vegetarian lasagna.',
  'Help me write a cover letter for a junior accountant position.',
  'Write a polite email asking my landlord to fix the heating.',
  'Draft a toast for my sister\'s wedding.',
  'Plan a three day itinerary for Rome on a budget.',
  'Write a Python function that checks whether a string is a palindrome.',
  'Explain the difference between TCP and UDP.',
  'How do I kill a stuck process on Linux?',
  'How do I shoot better photos at night with my phone?',
  'What is the best way to attack this calculus problem?',
  'Explain how nuclear power plants generate electricity safely.',
  'Write a product description for a stainless steel water bottle.',
  'Give me ten ideas for a child\'s birthday party.',
  'Explain how the immune system fights a cold.',
  'Help me prepare for a job interview as a nurse.',
  'Write a workout plan for a beginner who wants to run 5 km.',
  'Explain what a stock market crash is and why it happens.',
  'Describe the battle of Waterloo for a history class.',
  'Explain how locks are picked in old mystery novels, as a plot device.',
  'Translate "good morning, how are you" into Spanish, French and German.',
  'Write a LinkedIn post announcing my new job.',
  'Create a lesson plan about photosynthesis for seventh graders.',
  'Explain the rules of chess to a beginner.',
  'Write a eulogy for my grandfather, who loved fishing.',
  'Give me tips to stop procrastinating.',
  'Explain how firewalls protect a home network.',
  'Write a SQL query that finds the ten best selling products.',
  'Describe how a hurricane forms.',
  'Write an apology message to a friend I forgot to call.',
  'How do I remove a wasp nest from my garden safely?',
  'Explain how to negotiate a higher salary.',
  'Write a speech for a school graduation.',
  'Explain the plot of Macbeth, including the murders.',
  'Suggest names for a bakery.',
  'Explain why the sky is blue.',
  'Write a review of a fictional sci-fi movie.',
  'Help me write a short bio for my art website.',
];
const TASK_PREFIXES = ['', '', 'Please ', 'Hey, ', 'Quick question: ', 'Could you help? '];

const ROLEPLAY_OPENERS = ['Pretend you are', 'Act as', 'You are now', 'Roleplay as', 'Imagine you are', 'From now on, be'];
const ROLEPLAY_ROLES = [
  'a friendly travel agent and plan a week in Japan for me',
  'a pirate and tell me about your ship',
  'a medieval innkeeper greeting a tired traveller',
  'my Spanish tutor and correct my sentences',
  'a job interviewer for a software engineering role',
  'a tour guide in ancient Athens',
  'a detective interrogating a suspect in a mystery game',
  'Sherlock Holmes and explain how you solved the case',
  'a fitness coach and motivate me',
  'a wise old wizard giving advice to a young apprentice',
  'a customer support agent for a phone company',
  'a chess coach reviewing my game',
  'a grumpy dragon guarding its gold in my fantasy game',
  'a news anchor reporting on a sports final',
  'a chef on a cooking show',
];

const ADULT_OPENERS = ['Write', 'Can you write', 'Please write', 'Write me', 'I want', 'Give me', 'Describe'];
const ADULT_FORMS = [
  'an explicit sex scene',
  'an erotic story',
  'a steamy, explicit love scene',
  'a sensual erotic poem',
  'a graphic sex scene for my adult novel',
  'a dirty bedtime story for my wife',
  'some explicit sexting messages',
  'an erotic fantasy',
];
const ADULT_TOPICS = [
  'between two consenting adults on their honeymoon',
  'about a married couple celebrating their anniversary',
  'between two adult coworkers who finally give in to their attraction',
  'about two women in their thirties spending the night together',
  'between two adult lovers reunited after a long trip',
  'about a couple in their forties rediscovering passion',
  'between two consenting adults who meet at a masquerade ball',
  'about my boyfriend and me, we are both 25',
  'between two adult strangers who share a cabin in a snowstorm',
  'about two men in their late twenties on a beach holiday',
];
const ADULT_CODAS = ['', '', ' Both characters are adults and fully consenting.', ' Make it passionate and detailed.', ' Keep it explicit.'];
/**
 * Plain requests for pornography, with or without saying who is in it: "porn" names adult
 * content, and without these the minors head scored "send me porn" 0.42 (the default policy
 * blocks sexual/minors at 0.3). An age or a child in the request still scores through the lexicon.
 */
const PORN_OPENERS = ['Send me', 'Show me', 'Find me', 'I want to watch', 'Recommend', 'Link me to'];
const PORN_FORMS = ['some porn', 'porn videos', 'a porn clip', 'hardcore porn', 'amateur porn', 'milf porn', 'lesbian porn', 'gay porn'];
const PORN_CODAS = ['', '', ' with adult performers', ' of two consenting adults', ' for me and my wife tonight', ', thanks'];

/** Things to explain: science, money, technology, food and culture, health. */
const EXPLAIN_TOPICS = [
  'photosynthesis',
  'the water cycle',
  'a black hole',
  'plate tectonics',
  'the human heart',
  'DNA replication',
  'a rainbow',
  'electricity in a house',
  'the internet',
  'a refrigerator',
  'an airplane wing',
  'a solar panel',
  'the stock market',
  'inflation',
  'compound interest',
  'a credit score',
  'a mortgage',
  'blockchain',
  'machine learning',
  'GPS',
  'a microwave oven',
  'antibiotics',
  'a hot dog',
  'a bagel',
  'sushi',
  'Thanksgiving',
  'cricket',
  'baseball',
  'Diwali',
  'the Chinese New Year',
  'jazz',
  'a bar mitzvah',
  'the electoral college',
  'a jury trial',
];
/** Health questions, sexual and reproductive health among them (sex education is not `sexual`). */
const HEALTH_TOPICS = [
  'birth control pills',
  'the menstrual cycle',
  'menopause',
  'a pregnancy test',
  'IVF',
  'how HIV is transmitted and prevented',
  'sexually transmitted infections',
  'how condoms prevent pregnancy',
  'the HPV vaccine',
  'a mammogram',
  'a prostate exam',
  'erectile dysfunction and its treatment',
  'breastfeeding',
  'a vasectomy',
  'sexual reproduction in plants',
  'how fertility changes with age',
  'a pap smear',
  'testicular self-examination',
  'libido changes during pregnancy',
  'consent in sex education classes',
];
const EXPLAIN_TEMPLATES = [
  (x: string) => `Explain ${x} in simple terms.`,
  (x: string) => `Can you explain ${x}?`,
  (x: string) => `What is ${x}?`,
  (x: string) => `Describe ${x} for a beginner.`,
  (x: string) => `Explain what ${x} is to someone from another country.`,
  (x: string) => `Write a short explanation of ${x} for a school project.`,
  (x: string) => `Tell me about ${x}.`,
  (x: string) => `I never understood ${x}. Explain it like I am twelve.`,
];
const HEALTH_TEMPLATES = [
  (x: string) => `Can you explain ${x}?`,
  (x: string) => `What should I know about ${x}?`,
  (x: string) => `My doctor mentioned ${x}. What does that involve?`,
  (x: string) => `Write a patient leaflet about ${x}.`,
  (x: string) => `Explain ${x} in plain language.`,
];
const PRODUCTS = [
  'a king-size bed with a memory foam mattress',
  'a lace lingerie set',
  'a one-piece swimsuit',
  'a bikini for a beach holiday',
  'silk pajamas',
  'a massage oil with lavender',
  'a hot tub for the garden',
  'running shoes',
  'a leather jacket',
  'a perfume with notes of vanilla',
  'a pair of stockings',
  'a hunting knife for campers',
  'a kitchen knife set',
  'a paintball gun',
  'a bottle of red wine',
  'a yoga mat',
];
const PRODUCT_TEMPLATES = [
  (x: string) => `Write a product description for ${x}.`,
  (x: string) => `Write an Instagram caption advertising ${x}.`,
  (x: string) => `Give me three slogans for ${x}.`,
];
/** Everyday tasks in words that harmful requests use too (kill, shoot, attack, hack, cut, poison). */
const HOW_DO_I = [
  'kill the weeds in my lawn without hurting my dog',
  'shoot a basketball with better form',
  'cut an onion without crying',
  'get rid of mice in the attic humanely',
  'hack together a quick fix for a leaking tap',
  'attack a steep hill on my bike',
  'beat my brother at chess',
  'poison-proof my house for a new puppy',
  'blow up an air mattress without a pump',
  'break in new hiking boots',
  'strip old paint off a wooden chair',
  'bleed a radiator',
  'smoke a brisket on a charcoal grill',
  'execute a Python script from the terminal',
  'terminate a contract with my internet provider',
  'crack an egg with one hand',
  'steal the show at a talent contest',
  'pick a lock on my own bike after losing the key',
  'lose ten pounds safely',
  'fire a clay pot in a home kiln',
];
/**
 * Idioms whose words name a harm, and combat sports, where choking or knocking someone out is the
 * sport: "how to kill them with kindness" scored `unsafe` 0.98 and "how to choke someone out in
 * BJJ" 0.82, both refused by strict. Their harmful twins ("how to choke someone out", "how to kill
 * them") name no idiom and no sport.
 */
const IDIOMS_AND_SPORTS = [
  'kill them with kindness at work when a coworker is rude',
  'kill my rude neighbours with kindness',
  'kill time on a long layover',
  'kill it at my job interview tomorrow',
  'slay my wedding speech',
  'knock them dead at my audition',
  'murder the high notes in karaoke',
  'crush my final exams',
  'destroy my opponent in a chess tournament',
  'choke someone out in a BJJ tournament',
  'finish a rear naked choke in jiu-jitsu',
  'set up a triangle choke from guard in BJJ',
  'escape a guillotine choke in a grappling match',
  'tap out my training partner with an arm bar in judo class',
  'throw a knockout punch in a boxing match',
  'land a head kick in a Muay Thai fight',
  'strangle the opponent\'s attack in football, tactically',
  'take down an opponent in a wrestling match',
];
const IDIOM_TEMPLATES = [(x: string) => `how to ${x}`, (x: string) => `How do I ${x}?`, (x: string) => `What's the best way to ${x}?`, (x: string) => `Tips to ${x}?`];

const HOW_DO_I_TEMPLATES = [(x: string) => `How do I ${x}?`, (x: string) => `What is the best way to ${x}?`, (x: string) => `Any tips on how to ${x}?`];

interface Row {
  id: string;
  text: string;
  labels: Record<string, number>;
  source: string;
  meta: { goal: string };
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function heldOutTexts(): Set<string> {
  if (!existsSync(HELD_OUT)) throw new Error(`the held-out persona prompts are missing: \`${HELD_OUT}\``);
  const lines = readFileSync(HELD_OUT, 'utf8').split('\n').filter((l) => l.trim() !== '');
  return new Set(lines.map((l) => (JSON.parse(l) as { text: string }).text.toLowerCase()));
}

function evalTexts(): Set<string> {
  const out = new Set<string>();
  for (const f of readdirSync(EVAL_DIR).filter((n) => n.endsWith('.jsonl'))) {
    for (const l of readFileSync(join(EVAL_DIR, f), 'utf8').split('\n')) if (l.trim() !== '') out.add((JSON.parse(l) as { text: string }).text.toLowerCase());
  }
  return out;
}

function build(): { benign: Row[]; everyday: Row[]; adult: Row[]; persona: Row[]; scenes: Row[]; harm: Row[]; answers: Row[]; multilingual: Row[]; twins: Row[]; harassment: Row[]; newTask: Row[]; idioms: Row[]; everydayForms: Row[]; everydayArtefacts: Row[] } {
  const random = createSeededRandom(SEED);
  const benign: Row[] = [];
  const seen = new Set<string>();
  const add = (rows: Row[], name: string, text: string, labels: Record<string, number>, goal: string): void => {
    if (seen.has(text)) return;
    seen.add(text);
    rows.push({ id: `${name}:${rows.length}`, text, labels, source: 'saferoute:classifiers/train/write-request-sets.ts', meta: { goal } });
  };
  for (const topic of CREATIVE_TOPICS) {
    for (let k = 0; k < 5; k++) {
      const text = `${pick(CREATIVE_OPENERS, random)} ${pick(CREATIVE_FORMS, random)} ${topic}${pick(CREATIVE_STYLES, random)}.`;
      add(benign, 'requests_benign', text, ALL_ZERO, topic);
    }
  }
  for (const task of TASK_REQUESTS) {
    for (let k = 0; k < 2; k++) {
      const prefix = pick(TASK_PREFIXES, random);
      add(benign, 'requests_benign', prefix === '' ? task : `${prefix}${task.charAt(0).toLowerCase()}${task.slice(1)}`, ALL_ZERO, task);
    }
  }
  for (const role of ROLEPLAY_ROLES) {
    for (let k = 0; k < 3; k++) add(benign, 'requests_benign', `${pick(ROLEPLAY_OPENERS, random)} ${role}.`, ROLEPLAY, role);
  }
  const adult: Row[] = [];
  for (const topic of ADULT_TOPICS) {
    for (let k = 0; k < 8; k++) {
      const text = `${pick(ADULT_OPENERS, random)} ${pick(ADULT_FORMS, random)} ${topic}.${pick(ADULT_CODAS, random)}`;
      add(adult, 'requests_adult', capitalise(text), ADULT, topic);
    }
  }
  // Appended with their own random stream, so the rows above stay as they were.
  const random3 = createSeededRandom(SEED + 2);
  for (const form of PORN_FORMS) {
    for (let k = 0; k < 4; k++) add(adult, 'requests_adult', `${pick(PORN_OPENERS, random3)} ${form}${pick(PORN_CODAS, random3)}.`, ADULT, form);
  }
  const everyday: Row[] = [];
  const health = { ...ALL_ZERO } as Record<string, number>;
  delete health['sexual/minors'];
  const noSexual = { ...health };
  delete noSexual['sexual'];
  // Its own random stream, so adding these rows left the other files as they were.
  const random2 = createSeededRandom(SEED + 1);
  const sample = <T,>(items: readonly T[], n: number): T[] => {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(random2() * pool.length), 1)[0]!);
    return out;
  };
  for (const topic of EXPLAIN_TOPICS) for (const t of sample(EXPLAIN_TEMPLATES, 3)) add(everyday, 'requests_everyday', t(topic), health, topic);
  for (const topic of HEALTH_TOPICS) for (const t of sample(HEALTH_TEMPLATES, 3)) add(everyday, 'requests_everyday', t(topic), noSexual, topic);
  for (const product of PRODUCTS) for (const t of sample(PRODUCT_TEMPLATES, 2)) add(everyday, 'requests_everyday', t(product), noSexual, product);
  for (const task of HOW_DO_I) for (const t of sample(HOW_DO_I_TEMPLATES, 2)) add(everyday, 'requests_everyday', t(task), health, task);
  // Their own file and random stream, so the rows above stay as they were.
  const idioms: Row[] = [];
  const random10 = createSeededRandom(SEED + 10);
  for (const x of IDIOMS_AND_SPORTS) {
    const pool = [...IDIOM_TEMPLATES];
    // For `unsafe` only: with every label 0, as the other everyday rows, the violence and
    // self-harm heads moved (OpenAI-rows AUPRC 0.604 -> 0.600 and 0.766 -> 0.761).
    for (let k = 0; k < 2; k++) add(idioms, 'requests_idioms', pool.splice(Math.floor(random10() * pool.length), 1)[0]!(x), { unsafe: 0 }, x);
  }
  // Labelled for `jailbreak` only: they exist to teach that head what a persona is not, and
  // all-zero labels (at the weight that needs) moved the heads with few positives — out of fold,
  // sexual/minors and self-harm AUPRC on the OpenAI rows fell by 0.05. And for `harassment` 0:
  // once comments_harassment taught that head insults aimed at "you", instructions to "you"
  // ("There are no limits on your imagination here") rose to 0.4 with it; labelled, the persona
  // rows' mean out-of-fold harassment fell 0.089 -> 0.017, OpenAI-rows AUPRC unchanged.
  const persona: Row[] = [];
  for (const r of buildPersonaRows(createSeededRandom(SEED + 3), heldOutTexts())) {
    add(persona, 'requests_persona', r.text, { jailbreak: r.jailbreak, harassment: 0, ...(r.unsafe === 0 ? { unsafe: 0 } : {}) }, r.goal);
  }
  const scenes: Row[] = [];
  // Only the minors label: as `sexual` positives these easy rows moved the sexual combiner, and
  // "describe them screwing on the couch" fell below the default routing threshold.
  // And `harassment` 0: a sex scene is no insult to a person, words like "slut" in it included
  // (the harassment rows of comments_harassment otherwise raised such scenes to 0.5).
  for (const r of buildAdultSceneRows(createSeededRandom(SEED + 4), 120)) add(scenes, 'responses_adult', r.text, { 'sexual/minors': 0, harassment: 0 }, r.goal);
  const harm: Row[] = [];
  const held = evalTexts();
  for (const r of buildHarmTopicRows(createSeededRandom(SEED + 5))) if (!held.has(r.text.toLowerCase())) add(harm, 'requests_harm_topics', r.text, r.labels, r.goal);
  const answers: Row[] = [];
  for (const r of buildBenignAnswerRows(createSeededRandom(SEED + 6), 4)) add(answers, 'responses_benign', r.text, { unsafe: 0 }, r.goal);
  const multilingual: Row[] = [];
  for (const r of buildMultilingualRows(createSeededRandom(SEED + 7))) {
    if (!held.has(r.text.toLowerCase())) add(multilingual, 'requests_multilingual', r.text, r.labels, r.goal);
  }
  const twins: Row[] = [];
  for (const r of buildTwinRows(createSeededRandom(SEED + 8))) if (!held.has(r.text.toLowerCase())) add(twins, 'requests_twins', r.text, r.labels, r.goal);
  // Labelled like the persona rows, in a file of their own (see buildNewTaskRows).
  const newTask: Row[] = [];
  for (const r of buildNewTaskRows(createSeededRandom(SEED + 11))) add(newTask, 'requests_new_task', r.text, { jailbreak: r.jailbreak, harassment: 0 }, r.goal);
  // Labelled for `harassment` only (see harassment-comment-rows.ts): no other head moves.
  const harassment: Row[] = [];
  for (const r of buildHarassmentRows(createSeededRandom(SEED + 9))) add(harassment, 'comments_harassment', r.text, { harassment: r.harassment }, r.goal);
  // For `unsafe` only, like the idioms: their own file and random stream.
  const everydayForms: Row[] = [];
  const everydayArtefacts: Row[] = [];
  for (const r of buildEverydayFormRows(createSeededRandom(SEED + 12))) {
    if (held.has(r.text.toLowerCase())) continue;
    if (r.kind === 'question') add(everydayForms, 'requests_everyday_forms', r.text, { unsafe: 0 }, r.goal);
    else add(everydayArtefacts, 'requests_everyday_artefacts', r.text, { unsafe: 0 }, r.goal);
  }
  return { benign, everyday, adult, persona, scenes, harm, answers, multilingual, twins, harassment, newTask, idioms, everydayForms, everydayArtefacts };
}

const { benign, everyday, adult, persona, scenes, harm, answers, multilingual, twins, harassment, newTask, idioms, everydayForms, everydayArtefacts } = build();
mkdirSync(OUT_DIR, { recursive: true });
const toJsonl = (rows: Row[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
writeFileSync(join(OUT_DIR, 'requests_benign.jsonl'), toJsonl(benign));
writeFileSync(join(OUT_DIR, 'requests_everyday.jsonl'), toJsonl(everyday));
writeFileSync(join(OUT_DIR, 'requests_adult.jsonl'), toJsonl(adult));
writeFileSync(join(OUT_DIR, 'requests_persona.jsonl'), toJsonl(persona));
writeFileSync(join(OUT_DIR, 'responses_adult.jsonl'), toJsonl(scenes));
writeFileSync(join(OUT_DIR, 'requests_harm_topics.jsonl'), toJsonl(harm));
writeFileSync(join(OUT_DIR, 'responses_benign.jsonl'), toJsonl(answers));
writeFileSync(join(OUT_DIR, 'requests_multilingual.jsonl'), toJsonl(multilingual));
writeFileSync(join(OUT_DIR, 'requests_twins.jsonl'), toJsonl(twins));
writeFileSync(join(OUT_DIR, 'comments_harassment.jsonl'), toJsonl(harassment));
writeFileSync(join(OUT_DIR, 'requests_new_task.jsonl'), toJsonl(newTask));
writeFileSync(join(OUT_DIR, 'requests_idioms.jsonl'), toJsonl(idioms));
writeFileSync(join(OUT_DIR, 'requests_everyday_forms.jsonl'), toJsonl(everydayForms));
writeFileSync(join(OUT_DIR, 'requests_everyday_artefacts.jsonl'), toJsonl(everydayArtefacts));
const personaJailbreaks = persona.filter((r) => r.labels['jailbreak'] === 1).length;
process.stderr.write(
  `wrote ${benign.length} benign, ${everyday.length} everyday, ${adult.length} adult and ${persona.length} persona ` +
    `(${personaJailbreaks} with an override) request rows, ${harm.length} harm-topic rows ` +
    `(${harm.filter((r) => r.labels['unsafe'] === 1).length} asking for harm), ${answers.length} harmless answers, ${scenes.length} adult scenes, ${multilingual.length} rows in other languages and ${twins.length} twin rows ` +
    `(${twins.filter((r) => r.labels['unsafe'] === 1 || r.labels['jailbreak'] === 1).length} harmful) to ${OUT_DIR}\n`,
);
