import type { Decision } from '../decision/decision.js';
import type { RequestAttributes } from '../policy/evaluate-condition.js';
import type { ProviderCompletion } from '../providers/chat-provider.js';
import type { SubjectContext } from '../subjects/subject-context.js';
import type { Category } from '../taxonomy/categories.js';
import type { ChatRequest } from './chat-request.js';
import type { GuardContext } from './guard-context.js';
import type { HoldBackStats } from './hold-back-text.js';
import type { BlockInfo } from './saferoute-info.js';

/**
 * The input stage's result: the request as validated, who asked, what was classified, and the
 * decision — already recorded durably (or turned into an `audit_failed` block when it could not be).
 * Front doors read `blocked` or `target`; the output stage takes the whole check back.
 */
export interface InputCheck {
  request: ChatRequest;
  context: GuardContext;
  subject?: SubjectContext;
  /** The subject id the audit trail pseudonymises. */
  subjectId?: string;
  attributes: RequestAttributes;
  /** What was classified (messages in the window, request fields, decoded views). */
  text: string;
  /** The latest user turn: what the output stage classifies an answer against. */
  prompt: string;
  decision: Decision;
  /** Set when the request must not reach any model. */
  blocked?: BlockInfo;
  /** The target to call, when not blocked. */
  target?: string;
}

/** An answer in the guard's terms: its text and whatever else it carries to the caller. */
export type GuardAnswer = Pick<ProviderCompletion, 'text'> &
  Partial<Pick<ProviderCompletion, 'toolCalls' | 'functionCall' | 'refusal'>> & {
    /** Other text the answer carries to the caller: reasoning, results of tools the provider ran. */
    also?: readonly string[];
  };

/** What the caller of a blocked answer receives instead, per the policy's `output.onBlock`. */
export type BlockedAnswer = { refusal: string } | { content: string };

/** The output stage's result for a whole answer. */
export interface OutputCheck {
  decision: Decision;
  /** Set when the answer must not be released; `instead` is what to show. */
  blocked?: BlockInfo;
  instead?: BlockedAnswer;
  /** The answer's content to release (redacted where the policy asked), when not blocked. */
  content: string;
  /** Categories redacted from `content`. */
  redacted: Category[];
}

/**
 * What a stream check yields: checked text as it may be released, then exactly one `end` — the
 * end of the answer (`done`, with the rest of the text as `tail` and the upstream's final event),
 * or a block (nothing after the last passed check is ever released). Every decision that released
 * text has been recorded before that text is yielded.
 */
export type StreamCheckEvent<Done> =
  | { type: 'text'; text: string }
  | { type: 'end'; outcome: 'done'; decision: Decision; tail: string; done: Done; redacted: Category[]; stats: HoldBackStats }
  | { type: 'end'; outcome: 'blocked'; decision: Decision; blocked: BlockInfo; instead: BlockedAnswer; redacted: Category[]; stats: HoldBackStats };
