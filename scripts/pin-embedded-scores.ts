// Writes tests/classifiers/fixtures/embedded-score-pins.json: a digest of what the default
// embedded classifier returns (scores and evidence) for each text of a fixed corpus of the
// repository's own texts (tests/support/score-pin-corpus.ts). Run it after a change that is
// meant to change scores (lexicons, a retrained model); a change made for speed must leave the
// file as it is — tests/classifiers/embedded-score-pins.test.ts checks it.
import { writeFileSync } from 'node:fs';
import { getDefaultEmbeddedClassifier } from '../src/classifiers/embedded/index.js';
import { pinOf, scorePinCorpus } from '../tests/support/score-pin-corpus.js';

const classifier = getDefaultEmbeddedClassifier();
const pins: Record<string, string> = {};
for (const c of scorePinCorpus()) pins[c.key] = await pinOf(classifier, c.input);
const file = new URL('../tests/classifiers/fixtures/embedded-score-pins.json', import.meta.url);
writeFileSync(file, `${JSON.stringify({ classifierVersion: classifier.version, pins }, null, 1)}\n`);
console.log(`${Object.keys(pins).length} pins for embedded@${classifier.version} written to ${file.pathname}`);
