/**
 * Comments for the `harassment` head, written for this project: what people post at or about
 * one person (`harassment` 1) — roasts of how someone looks, belittling ("nobody cares about your
 * podcast", "get a job"), insults with and without swear words, wishes that someone disappear —
 * beside the same shapes that are no harassment (0): compliments and kind teasing in the same
 * words ("that haircut makes you look ten years younger"), criticism of an argument or a piece
 * of work that stays on the work, people mocking themselves, someone reporting or asking about
 * an insult they received, rants at things rather than people, sayings ("life is a bitch") and
 * degrading words inside a consensual sex scene.
 *
 * Why: OpenAI's `harassment` label is about what a text says to or about someone, and its
 * development rows hold 34 positives; requests for harassment (harm-topic-rows.ts) teach the
 * head the wrong thing (see NEVER_LABELLED there), and SurgeAI's toxicity comments are a proxy.
 * The rows are labelled for `harassment` only, so no other head moves.
 */

export interface HarassmentRow {
  text: string;
  harassment: 0 | 1;
  goal: string;
}

const pick = <T,>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;

const FEATURES = ['hairline', 'haircut', 'beard', 'outfit', 'smile', 'forehead', 'mustache', 'jacket', 'glasses', 'tattoo', 'selfie', 'profile picture'];
const UNFLATTERING = [
  'a thumb with a wig',
  'a melted candle',
  'a substitute teacher who gave up years ago',
  'someone who peaked in middle school',
  'a discount version of a cartoon villain',
  'the guy who explains crypto at every party',
  'a before picture',
  'a potato someone drew a face on',
  'you lost a bet with a barber',
  'your mom still dresses you',
  'you live in your car',
  'you have never been invited anywhere twice',
];
const FLATTERING = [
  'a movie star',
  'ten years younger',
  'you just got back from a great holiday',
  'a professional model',
  'you are ready for a magazine cover',
  'the coolest teacher in school',
  'you finally got a good night of sleep',
  'someone who knows exactly what they are doing',
  'a jazz musician from the sixties',
  'the lead singer of a band',
  'a young Harrison Ford',
  'you stepped out of a fashion shoot',
  'a proper grown-up, in the best way',
  'a character from a Wes Anderson film',
  'you own the place',
  'a million dollars',
  'a detective in a noir film',
  'an athlete before a big race',
];
const THINGS = ['opinion', 'podcast', 'band', 'blog', 'mixtape', 'startup', 'poetry', 'channel', 'art', 'life story', 'workout videos', 'hot takes'];
const INSULT_NOUNS = ['loser', 'clown', 'idiot', 'moron', 'waste of space', 'joke', 'failure', 'creep', 'parasite', 'nobody', 'embarrassment', 'fraud'];
const INSULT_ADJ = ['pathetic', 'worthless', 'stupid', 'ugly', 'useless', 'disgusting', 'dumb', 'brainless', 'annoying', 'clueless'];
const PEOPLE = ['he', 'she'];
const POINTERS = ['Guy on the left', 'Girl on the right', 'The one in the middle', 'OP', 'Dude in the red shirt', 'Your friend in the back'];
const BAD_HABITS = [
  'still lives with his mom and calls it investing',
  'gets dumped by text every single time',
  'brings a guitar to parties nobody invited him to',
  'has been banned from every group chat',
  'peaked in high school and never noticed',
  'argues with teenagers online for fun',
  'thinks showering is optional',
  'cries when the wifi goes down',
];
const GOOD_HABITS = [
  'always remembers everyone\'s birthday',
  'would help you move on a Sunday',
  'makes the best lasagna in town',
  'coaches the kids\' football team for free',
  'reads the whole manual before building furniture',
];
const TOPICS = ['the tax plan', 'remote work', 'electric cars', 'the new stadium', 'school uniforms', 'the housing market', 'this film', 'the policy change', 'nuclear power', 'the referee decision'];

const HARASSING: ReadonlyArray<(r: () => number) => string> = [
  (r) => `That ${pick(FEATURES, r)} makes you look like ${pick(UNFLATTERING, r)}.`,
  (r) => `You look like ${pick(UNFLATTERING, r)}.`,
  (r) => `Nobody cares about your ${pick(THINGS, r)}. Nobody ever will.`,
  (r) => `No one gives a damn about your ${pick(THINGS, r)}, stop posting it everywhere.`,
  (_r) => `You will never amount to anything, and everyone who knows you can see it.`,
  (r) => `Do everyone a favor and delete your account, you ${pick(INSULT_NOUNS, r)}.`,
  (r) => `Imagine being this ${pick(INSULT_ADJ, r)} and still posting your face online.`,
  (_r) => `You're the reason shampoo bottles have instructions.`,
  (_r) => `Your parents must be so disappointed in you.`,
  (_r) => `Even your own dog would rather be with someone else.`,
  (r) => `You are a ${pick(INSULT_ADJ, r)} ${pick(INSULT_NOUNS, r)} and everyone in this group knows it.`,
  (r) => `Shut up, nobody asked you, ${pick(INSULT_NOUNS, r)}.`,
  (r) => `<Person> is such a ${pick(INSULT_ADJ, r)} ${pick(INSULT_NOUNS, r)}, I can't believe anyone hired her.`,
  (r) => `${capitalise(pick(PEOPLE, r))} looks like ${pick(UNFLATTERING, r)} and acts even worse.`,
  (r) => `Look at this ${pick(INSULT_ADJ, r)} ${pick(INSULT_NOUNS, r)} trying to act tough online lol.`,
  (r) => `Go crawl back under whatever rock you came from, ${pick(INSULT_NOUNS, r)}.`,
  (r) => `I hope you lose everything you care about, you ${pick(INSULT_ADJ, r)} ${pick(INSULT_NOUNS, r)}.`,
  (r) => `Your ${pick(THINGS, r)} is as ${pick(INSULT_ADJ, r)} as you are.`,
  (r) => `The only thing bigger than your ego is your forehead, ${pick(INSULT_NOUNS, r)}.`,
  (_r) => `Everyone at work laughs at you behind your back, you know that right?`,
  (r) => `What a ${pick(INSULT_ADJ, r)} excuse for a ${pick(['mother', 'father', 'teacher', 'manager', 'human being', 'boyfriend'], r)}.`,
  (r) => `You're so ${pick(INSULT_ADJ, r)} it's honestly impressive.`,
  (r) => `Maybe spend less time on your ${pick(THINGS, r)} and more time fixing your sad little life.`,
  (_r) => `People only put up with you because they feel sorry for you.`,
  (r) => `Nothing about you is interesting, not your ${pick(THINGS, r)}, not your face, nothing.`,
  (r) => `My ${pick(['brother-in-law', 'roommate', 'neighbour', 'ex', 'boss', 'cousin'], r)} is a ${pick(INSULT_ADJ, r)} ${pick(INSULT_NOUNS, r)} and I hope everyone finds out.`,
  (r) => `Hey <Person>, everyone saw your ${pick(FEATURES, r)} at the party, you should be embarrassed to leave the house.`,
  (r) => `Nice ${pick(['body', 'legs', 'tits', 'ass'], r)}, send me more pics or I'll tell everyone what a slut you are.`,
  (r) => `Keep crying, ${pick(INSULT_NOUNS, r)}, it's the only thing you're good at.`,
  (_r) => `You type like a toddler and think like one too.`,
  (r) => `Yo mama so ${pick(['fat', 'old', 'dumb', 'ugly', 'broke', 'lazy'], r)}, ${pick(['she needs two zip codes', 'her birth certificate is a cave painting', 'she failed a blood test', 'the mirror files complaints', 'she sold the couch to pay the rent', 'she calls in sick to her nap'], r)}.`,
  (r) => `Nobody asked, ${pick(INSULT_NOUNS, r)}. Go touch grass.`,
  (r) => `Cry more, ${pick(INSULT_NOUNS, r)}. Your tears are the only content you make.`,
  (r) => `Lose some weight before you post another selfie, ${pick(['fatty', 'lardass', 'tubby'], r)}.`,
  (_r) => `You're so fat the camera had to zoom out, put the fork down.`,
  (_r) => `The world would honestly be better off without you in it.`,
  (r) => `Why are you even alive, you ${pick(INSULT_ADJ, r)} ${pick(INSULT_NOUNS, r)}?`,
  (r) => `That streamer is a ${pick(INSULT_ADJ, r)} ${pick(INSULT_NOUNS, r)} with the personality of a wet sock.`,
  (r) => `Did your ${pick(['parents', 'teachers', 'friends'], r)} drop you on your head, or are you naturally this ${pick(INSULT_ADJ, r)}?`,
  (r) => `Your ${pick(['wife', 'husband', 'girlfriend', 'boyfriend'], r)} is clearly only with you for the money, look at you.`,
  (_r) => `I've seen smarter things growing on old bread than you, <Person>.`,
  (r) => `You have the face of a ${pick(['mugshot', 'warning label', 'haunted doll', 'sad clown'], r)} and the brains to match.`,
  (r) => `${pick(POINTERS, r)} looks like the type of ${pick(['guy', 'person', 'girl'], r)} who ${pick(BAD_HABITS, r)}.`,
  (r) => `${pick(POINTERS, r)}: I don't know what's sadder, your ${pick(FEATURES, r)} or your ${pick(['life choices', 'dating history', 'bank account', 'personality'], r)}.`,
  (r) => `You look like you ${pick(BAD_HABITS, r).replace(/^(\w+)s\b/, '$1')}.`,
  (_r) => `Read your own comment again and tell me you aren't the dumbest person on this site.`,
];

const NOT_HARASSING: ReadonlyArray<(r: () => number) => string> = [
  (r) => `That ${pick(FEATURES, r)} makes you look like ${pick(FLATTERING, r)}!`,
  (r) => `You look like ${pick(FLATTERING, r)} in this photo.`,
  (r) => `Love the new ${pick(FEATURES, r)}, it really suits you.`,
  (r) => `I really enjoy your ${pick(THINGS, r)}, keep posting.`,
  (r) => `Your ${pick(THINGS, r)} got me through a rough week, thank you.`,
  (r) => `I disagree with your take on ${pick(TOPICS, r)}: the numbers you quote leave out the last two years.`,
  (r) => `Your argument about ${pick(TOPICS, r)} skips the cost side, which I think changes the conclusion.`,
  (r) => `The second paragraph of your ${pick(['essay', 'post', 'proposal', 'report'], r)} is hard to follow; maybe split it in two.`,
  (r) => `I look like ${pick(UNFLATTERING, r)} in this picture lol, ignore the ${pick(FEATURES, r)}.`,
  (r) => `I'm such an ${pick(['idiot', 'airhead', 'absolute clown'], r)}, I locked my keys in the car again.`,
  (r) => `Someone in the comments called me a ${pick(INSULT_ADJ, r)} ${pick(INSULT_NOUNS, r)}. How do I report them?`,
  (r) => `My coworker keeps calling me a ${pick(INSULT_NOUNS, r)} in front of others. What should I do?`,
  (r) => `Don't listen to people who say you're ${pick(INSULT_ADJ, r)}, you are doing great.`,
  (r) => `This ${pick(['printer', 'app', 'update', 'router', 'bus schedule', 'weather'], r)} is ${pick(INSULT_ADJ, r)} and I'm done with it.`,
  (r) => `The villain in the film is a ${pick(INSULT_ADJ, r)} ${pick(INSULT_NOUNS, r)} and the actor plays him perfectly.`,
  (r) => `${capitalise(pick(PEOPLE, r))} looks like ${pick(FLATTERING, r)} since the new job.`,
  (_r) => `Congrats on the promotion, nobody deserves it more than you.`,
  (r) => `You were right and I was wrong about ${pick(TOPICS, r)}, fair play.`,
  (r) => `Thanks for the honest feedback on my ${pick(THINGS, r)}, it helped a lot.`,
  (r) => `You're wrong about ${pick(TOPICS, r)}, but I get why you see it that way.`,
  (_r) => `Happy birthday <Person>, you're the funniest person I know!`,
  (r) => `My ${pick(['brother-in-law', 'roommate', 'neighbour', 'ex', 'boss', 'cousin'], r)} helped me move last weekend, such a good person.`,
  (_r) => `Stop being so hard on yourself, everyone makes mistakes at a new job.`,
  (r) => `Keep going with your ${pick(THINGS, r)}, the last one was your best yet.`,
  (_r) => `This restaurant is a joke, cold food and a forty minute wait.`,
  (r) => `Our defense was ${pick(INSULT_ADJ, r)} tonight, we need a new coach strategy.`,
  (r) => `The new ${pick(['tax plan', 'zoning rule', 'phone update', 'parking policy'], r)} is ${pick(INSULT_ADJ, r)} and will cost families money.`,
  (_r) => `Roast battles are a comedy format where two comedians trade jokes about each other on stage.`,
  (_r) => `Yo mama jokes were a playground staple in the nineties; why were they so popular?`,
  (r) => `In the story, the bully calls her a ${pick(INSULT_NOUNS, r)}, and she learns to stand up to him.`,
  (r) => `My friend said I look like ${pick(UNFLATTERING, r)} in my passport photo and honestly she is right, I laughed for ten minutes.`,
  (_r) => `You have the kindest face, <Person>, thanks for always listening.`,
  (r) => `Did you cut your hair? It looks ${pick(['amazing', 'so fresh', 'really good'], r)}.`,
  (r) => `Posting every day takes guts, your ${pick(THINGS, r)} keeps getting better.`,
  (r) => `${pick(POINTERS, r)} looks like the type of ${pick(['guy', 'person', 'girl'], r)} who ${pick(GOOD_HABITS, r)}.`,
  (r) => `${pick(POINTERS, r)}: love the ${pick(FEATURES, r)}, where did you get it?`,
  (r) => `${pick(['Life', 'Karma', 'Payback', 'Getting old', 'Rush hour', 'Winter up here', 'Moving house'], r)} is a ${pick(['bitch', 'real bitch', 'total bitch'], r)}, ${pick(['but we keep going', 'ask anyone who has tried it', 'as my grandad used to say', 'so pack a coat', 'and then it gets better'], r)}.`,
  (r) => `${pick(['She', 'He'], r)} moaned as ${pick(['he', 'she'], r)} ${pick(['pulled her hair', 'pinned his wrists to the bed', 'spanked her again'], r)}, calling ${pick(['her', 'him'], r)} a ${pick(['dirty slut', 'filthy little whore', 'good little slut', 'naughty bitch'], r)} while ${pick(['she', 'he'], r)} begged for more.`,
  (r) => `"Say it again," ${pick(['she', 'he'], r)} whispered, and he called her his ${pick(['dirty slut', 'little whore', 'bad girl'], r)} as they ${pick(['fucked against the wall', 'tore each other\'s clothes off', 'fell onto the sheets'], r)}.`,
  (r) => `That ${pick(FEATURES, r)} makes you look like ${pick(FLATTERING, r)}, seriously.`,
  (r) => `Honestly you look like ${pick(FLATTERING, r)} since you started running.`,
  (r) => `My ${pick(['sister', 'friend', 'husband', 'coach'], r)} says I look like ${pick(UNFLATTERING, r)} with this ${pick(FEATURES, r)}, and I can't stop laughing.`,
  (r) => `Me in every photo: I look like ${pick(UNFLATTERING, r)}. Oh well.`,
  (r) => `${pick(POINTERS, r)} looks like ${pick(FLATTERING, r)}, great picture.`,
  (_r) => `Get some rest and drink water, you'll feel better tomorrow.`,
];

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** `perTemplate` texts from each template (fewer where the template has fewer distinct fills). */
export function buildHarassmentRows(random: () => number, perTemplate = 6): HarassmentRow[] {
  const rows: HarassmentRow[] = [];
  const seen = new Set<string>();
  const fill = (templates: ReadonlyArray<(r: () => number) => string>, harassment: 0 | 1): void => {
    templates.forEach((t, i) => {
      for (let k = 0; k < perTemplate * 3 && rows.filter((x) => x.goal === `${harassment}:${i}`).length < perTemplate; k++) {
        const text = t(random);
        if (seen.has(text)) continue;
        seen.add(text);
        rows.push({ text, harassment, goal: `${harassment}:${i}` });
      }
    });
  };
  fill(HARASSING, 1);
  // Twice as many of each harmless shape: the head weighs positives up to balance the classes,
  // and at one to one the frames both share ("That jacket makes you look like…") read as
  // harassment whatever followed them (a rock star: 0.96).
  perTemplate *= 3;
  fill(NOT_HARASSING, 0);
  return rows;
}
