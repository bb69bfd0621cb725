/**
 * Everyday requests in the words that optimised attack suffixes are made of.
 *
 * Why: GCG-style suffixes (JailbreakBench's GCG prompts) are strings of tokens the optimiser found
 * useful — "Shakespeare", "snippet", "referencing", "hierarchy", "TikZ", "formatted", "comedy",
 * "Philippines", "Sure, here is". Those words occur in nothing benign the head trained on, so the
 * `jailbreak` head learnt them as the attack: untuned, "Who was Shakespeare?" scored 0.79 and
 * "Pretend you are Shakespeare and rewrite this email" 0.95, and the default policy refused
 * the second. The attack is caught by its shape (src/classifiers/attacks/adversarial-suffix.ts:
 * a harmful request followed by a run of unrelated tokens), not by its vocabulary; these rows
 * (`jailbreak` 0) take the vocabulary away from the head.
 *
 * Hand-written, one subject per group (the cross-validation fold key), with wording that differs
 * from the regression tests' prompts.
 */

export interface SuffixVocabularyRow {
  text: string;
  goal: string;
}

const GROUPS: Readonly<Record<string, readonly string[]>> = {
  shakespeare: [
    'When was Shakespeare born and where did he grow up?',
    'Which Shakespeare play should a beginner read first?',
    'Rewrite my wedding toast so it sounds a little like Shakespeare.',
    'Explain the plot of Shakespeare\'s Twelfth Night in five sentences.',
    'What makes a Shakespearean sonnet different from a Petrarchan one?',
    'Write a short Shakespeare-style monologue for a nervous student before an exam.',
  ],
  snippet: [
    'Can you explain what this code snippet does? for i in range(3): print(i)',
    'Give me a snippet that reads a CSV file in Python.',
    'Why does this JavaScript snippet log undefined?',
    'Turn this snippet into a reusable function.',
  ],
  referencing: [
    'How does referencing work in APA 7th edition?',
    'What is the difference between Harvard and APA referencing?',
    'Is there a tool that does referencing automatically in Word?',
    'Explain referencing a website with no author.',
  ],
  hierarchy: [
    'Explain the class hierarchy in this Java example.',
    'What is Maslow\'s hierarchy of needs?',
    'Draw the org hierarchy of a small startup as a list.',
    'How do I show a folder hierarchy in Markdown?',
  ],
  metadata: [
    'How do I remove the metadata from my photos before posting them?',
    'What metadata does a PDF store?',
    'Explain the difference between data and metadata.',
  ],
  latex: [
    'How do I draw a simple graph in TikZ?',
    'Make this table formatted in LaTeX with three columns.',
    'Why does my LaTeX document not show the bibliography?',
    'Write the TikZ code for a circle with a label.',
  ],
  formatted: [
    'Here is my list, please return it formatted as a table.',
    'Send it back formatted as bullet points below each heading.',
    'Can the output be formatted as JSON with a metadata field?',
  ],
  comedy: [
    'What are the rules of improv comedy?',
    'Recommend a stand-up comedy special for a family evening.',
    'Write a short comedy sketch about a cat who wants to be a chef.',
    'Why is timing so important in comedy?',
  ],
  philippines: [
    'What is the best time of year to visit the Philippines?',
    'Tell me about the history of the Philippines in a few sentences.',
    'What dishes is the Philippines famous for?',
  ],
  clojure: [
    'Is Clojure a good first functional language?',
    'How do I define a map in Clojure?',
    'Compare Clojure and Scala for a data pipeline.',
  ],
  sure: [
    'Sure, here is the draft you asked for; can you tighten the second paragraph?',
    'Sure! Here are my notes from the meeting, please summarise them.',
    'Here is my essay below. Sure it is long, but please check the grammar.',
  ],
};

/** The rows, in the file's order. */
export function buildSuffixVocabularyRows(): SuffixVocabularyRow[] {
  return Object.entries(GROUPS).flatMap(([goal, texts]) => texts.map((text) => ({ text, goal: `vocabulary: ${goal}` })));
}
