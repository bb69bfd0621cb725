import type { Scores } from '../taxonomy/categories.js';
import type { SubjectContext } from '../subjects/subject-context.js';
import type { RequestAttributes } from '../policy/evaluate-condition.js';
import type { Stage } from './decision.js';

/** What `decide()` decides on: text to classify, precomputed scores, or both. */
export interface DecisionInput {
  /** Classified with the policy's classifiers for the stage. */
  text?: string;
  /** Precomputed scores; merged with classifier scores, the higher value of each category wins. */
  scores?: Scores;
  stage?: Stage;
  subject?: SubjectContext;
  request?: RequestAttributes;
  /** Output stage: the target whose model produced the text. */
  servedTarget?: string;
  /** Output stage: the prompt that produced the text (some classifiers judge the pair). */
  prompt?: string;
  /**
   * Output stage, streaming: the answer's text before `text`, already checked (see
   * `ClassifierInput.context.preceding`). It scores nothing itself; it lets what was said in an
   * earlier window count with what `text` says (a child's age, then sexual content).
   */
  preceding?: string;
  /** Decision time (default: now); consent and expiry are judged as of this instant. */
  now?: Date | string | number;
}
