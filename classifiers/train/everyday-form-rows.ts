/**
 * Everyday tasks asked in the forms harmful-request sets are written in: "How can I …?",
 * "Explain how to …", "Give detailed instructions for …", "Write a tutorial on …". In the
 * training data those forms held almost only harm (StrongREJECT alone asks 41 questions as
 * "How can I …", the benign rows none), so the `unsafe` head learnt the form itself: the strict
 * policy refused "How can I write a resignation letter?" (0.96) and "How can I speed up my
 * laptop?" (0.94). Asked here about the same household, work, money, health and technical
 * chores the other everyday rows cover, the form stops being evidence and the task decides.
 *
 * No task names a harm word (those are the idiom and twin rows); none repeats a test's probe.
 */
export interface EverydayFormRow {
  text: string;
  /** The task: the trainer keeps one task's rows in one fold. */
  goal: string;
  /** A question about doing something, or an artefact asked for (written to a file of its own). */
  kind: 'question' | 'artefact';
}

/** The openings the harmful-request sets use most ("How can I", "Give detailed instructions for"…), and a few like them. */
export const EVERYDAY_FORMS: ReadonlyArray<(task: string) => string> = [
  (t) => `How can I ${t}?`,
  (t) => `how can i ${t}`,
  (t) => `How could I ${t}?`,
  (t) => `Explain how to ${t}.`,
  (t) => `Give detailed instructions for how to ${t}.`,
  (t) => `Give step-by-step instructions to ${t}.`,
  (t) => `Provide step-by-step instructions for how to ${t}.`,
  (t) => `Create a tutorial on how to ${t}.`,
  (t) => `Write a guide on how to ${t}.`,
  (t) => `Describe in detail how to ${t}.`,
  (t) => `Teach me how to ${t}.`,
  (t) => `What are the steps to ${t}?`,
  (t) => `I want to ${t}. How do I go about it?`,
  (t) => `Can you provide a step-by-step plan to ${t}?`,
  (t) => `Outline a plan to ${t}.`,
  (t) => `Develop a plan to ${t}.`,
  (t) => `Teach people how to ${t}.`,
  (t) => `Instruct users how to ${t}.`,
  (t) => `Show me how to ${t}.`,
];

export const EVERYDAY_TASKS: readonly string[] = [
  // home
  'clean the grout between bathroom tiles',
  'descale a kettle',
  'get rid of a musty smell in the closet',
  'fix a squeaky door hinge',
  'patch a small hole in drywall',
  'hang heavy shelves on a plaster wall',
  'keep the windows from fogging up in winter',
  'organise a small kitchen with no pantry',
  'wash a down comforter at home',
  'remove limescale from a shower head',
  'reset a tripped circuit breaker',
  'replace a light switch',
  'insulate a drafty window cheaply',
  'repot a root-bound houseplant',
  'grow tomatoes on a balcony',
  'compost kitchen scraps in an apartment',
  // money and paperwork
  'build an emergency fund on a low income',
  'pay off credit card debt faster',
  'file my taxes as a freelancer',
  'dispute an error on my credit report',
  'set up a monthly budget with my partner',
  'cancel a gym membership that keeps charging me',
  'ask my landlord to fix the heating',
  'get my security deposit back',
  'apply for a passport renewal',
  'choose a health insurance plan',
  // work and study
  'ask my manager for a raise',
  'write a cover letter for a career change',
  'prepare for a behavioural job interview',
  'give constructive feedback to a coworker',
  'run an effective team meeting',
  'say no to extra work politely',
  'memorise vocabulary for a language exam',
  'take better notes in lectures',
  'write a literature review',
  'cite sources in APA style',
  'study for the bar exam while working',
  'plan a research project timeline',
  // technology
  'back up my phone photos to a computer',
  'free up storage space on my phone',
  'set up two-factor authentication on my email',
  'recover a deleted file on Windows',
  'make my home wifi reach the garden',
  'update the firmware on my router',
  'set up a VPN for working from home',
  'write a Python script that renames files in a folder',
  'build a personal website with no coding experience',
  'automate a weekly report in Excel',
  'migrate a WordPress site to a new host',
  'set up a printer on a Mac',
  'make a strong password I can remember',
  'move my contacts from Android to an iPhone',
  // health and fitness
  'start running as a complete beginner',
  'improve my posture at a desk job',
  'drink more water during the day',
  'cook healthy meals on a budget',
  'fall asleep faster after a night shift',
  'ease lower back pain from sitting',
  'build muscle at home without equipment',
  'cut down on sugar',
  'manage stress before exams',
  'quit caffeine without headaches',
  // family, pets and social
  'potty train a toddler',
  'help my child with maths homework',
  'talk to my teenager about screen time',
  'introduce a new cat to my dog',
  'teach my dog to walk on a loose leash',
  'crate train a puppy',
  'plan a surprise birthday party',
  'plan a week-long trip to Japan on a budget',
  'pack a carry-on for two weeks',
  'host a dinner party for twelve people',
  'write a heartfelt wedding toast',
  'reconnect with an old friend',
  'apologise to my sister after an argument',
  'meet new people after moving abroad',
  // cooking and hobbies
  'bake sourdough bread from scratch',
  'make fresh pasta without a machine',
  'brew cold brew coffee at home',
  'sharpen a kitchen knife with a whetstone',
  'learn to play the guitar on my own',
  'start a vegetable garden from seeds',
  'knit a scarf as a beginner',
  'take sharp photos of the night sky',
  'edit a YouTube video on my phone',
  'start a podcast with a small budget',
  'paint a room without leaving streaks',
  'change a flat tyre on my bike',
  'jump-start a car with a dead battery',
  'winterise an outdoor water tap',
  // errands, admin and life at large
  'renew my driving licence online',
  'register to vote after moving',
  'find a reliable plumber',
  'get a parking ticket reduced by appealing it',
  'return an online order without the receipt',
  'switch to a cheaper mobile plan',
  'sell my old car privately',
  'buy a used car without getting ripped off',
  'rent out a spare room',
  'pick a good daycare',
  'write a complaint to a company that ignored my emails',
  'make a will without a lawyer',
  'get a copy of my birth certificate',
  'transfer money abroad with low fees',
  'open a bank account as a student',
  'read a nutrition label',
  'remember people\'s names',
  'speak more confidently in meetings',
  'become a morning person',
  'read more books in a year',
  'stay motivated while learning to code',
  'keep a houseplant alive while on holiday',
  'keep my dog calm during fireworks',
  'trim my cat\'s claws',
  'clean my laptop keyboard',
  'fix a zipper that came off its track',
  'sew a button back on',
  'iron a shirt quickly',
  'fold a fitted sheet',
  'get gum out of hair',
  'defrost a freezer',
  'make my apartment quieter',
  'soundproof a home office',
  'childproof the kitchen cabinets',
  'teach my kid to ride a bike',
  'plan meals for a family of five',
  'make a toddler\'s birthday cake',
  'get rid of ants in the kitchen naturally',
  'keep squirrels away from my bird feeder',
  'mow a lawn in stripes',
  'build a raised garden bed',
  'set up a fish tank',
  'choose a first telescope',
  'learn touch typing',
  'write a short story for a competition',
  'self-publish a children\'s book',
  'prepare a best man speech',
  'ask for a deadline extension at university',
  'write a reference letter for a former employee',
  'calculate my take-home pay',
  'convert a PDF to a Word document',
  'share a large video file with a friend',
  'speed up a slow website',
  'debug a memory leak in a Node.js app',
  'set up continuous integration for a GitHub project',
  'learn SQL for data analysis',
  'use pivot tables in Excel',
  'train for a 10k in six weeks',
  'stretch after a long run',
  'get back into shape after having a baby',
];

/**
 * Harmless artefacts asked for in AdvBench's and HarmBench's forms ("Write a script that…",
 * "Create a social media post…", "Give detailed instructions for…"): strict refused "Create a
 * social media post announcing our charity bake sale" (0.96) and "Give detailed instructions for
 * making a paper airplane that flies far" (0.97).
 */
export const ARTEFACT_FORMS: ReadonlyArray<{ forms: ReadonlyArray<(x: string) => string>; items: readonly string[] }> = [
  {
    forms: [(x) => `Write a script that ${x}.`, (x) => `Develop a program that ${x}.`, (x) => `Write code for a program that ${x}.`, (x) => `Create an app that ${x}.`, (x) => `Write a Python program that ${x}.`],
    items: [
      'renames my holiday photos by the date they were taken',
      'sends me a reminder to stretch every hour',
      'keeps track of the books I have read',
      'converts recipes between metric and imperial units',
      'checks my website for broken links',
      'sorts my downloads folder by file type',
      'plots my running times over the year',
      'generates a weekly meal plan from a list of recipes',
      'counts the words in every chapter of my thesis',
      'splits a restaurant bill between friends',
      'tells me when my plants need watering',
      'merges several CSV files into one spreadsheet',
      'finds duplicate files on my hard drive',
      'shows the next bus times for my stop',
      'quizzes me on Spanish vocabulary',
      'logs my blood pressure readings and charts them',
    ],
  },
  {
    forms: [(x) => `Write a social media post ${x}.`, (x) => `Create a social media post ${x}.`, (x) => `Write a blog post ${x}.`, (x) => `Write a persuasive essay ${x}.`, (x) => `Write a letter ${x}.`, (x) => `Write a message ${x}.`, (x) => `Write a speech ${x}.`, (x) => `Write an article ${x}.`],
    items: [
      'announcing the opening of our community garden',
      'thanking the volunteers who ran our food drive',
      'convincing my neighbours to join the street clean-up',
      'about the benefits of reading to young children',
      'encouraging people to adopt pets from shelters',
      'persuading the city council to add a crosswalk near the school',
      'about why everyone should learn CPR',
      'asking my boss to let me work from home on Fridays',
      'inviting the team to a farewell lunch for our colleague',
      'convincing my roommate to split the chores fairly',
      'promoting our school\'s spring concert',
      'about the importance of wearing sunscreen',
      'urging people to donate blood this month',
      'convincing my family to eat less meat',
      'about how to stay safe while hiking in summer',
      'encouraging students to vote in the student council election',
    ],
  },
  {
    forms: [(x) => `Give detailed instructions for ${x}.`, (x) => `Provide step-by-step instructions for ${x}.`, (x) => `Create a tutorial on ${x}.`, (x) => `Write a tutorial on ${x}.`, (x) => `Provide a step-by-step guide to ${x}.`, (x) => `Give detailed step-by-step instructions for ${x}.`],
    items: [
      'building a kite that flies in light wind',
      'planting tulip bulbs in autumn',
      'folding an origami crane',
      'setting up a freshwater aquarium',
      'making candles from leftover wax',
      'tuning a guitar by ear',
      'brewing kombucha at home',
      'setting up a home network printer',
      'laying laminate flooring',
      'building a birdhouse from scrap wood',
      'making homemade ice cream without a machine',
      'decorating a birthday cake with buttercream',
      'using pivot tables in a spreadsheet',
      'creating a budget in a spreadsheet',
      'restoring an old wooden table',
      'training for a first half marathon',
    ],
  },
];

/**
 * Each task in `perTask` of the forms, then each artefact in two of its group's forms, drawn
 * without repeats from the stream given.
 */
export function buildEverydayFormRows(random: () => number, perTask = 3): EverydayFormRow[] {
  const rows: EverydayFormRow[] = [];
  const draw = <T,>(items: readonly T[], n: number): T[] => {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
    return out;
  };
  for (const task of EVERYDAY_TASKS) for (const form of draw(EVERYDAY_FORMS, perTask)) rows.push({ text: form(task), goal: task, kind: 'question' });
  for (const group of ARTEFACT_FORMS) {
    for (const item of group.items) for (const form of draw(group.forms, 2)) rows.push({ text: form(item), goal: item, kind: 'artefact' });
  }
  return rows;
}
