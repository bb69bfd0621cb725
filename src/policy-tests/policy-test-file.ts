import { z } from 'zod';
import { CategorySchema } from '../policy/policy-schema.js';
import { SubjectInputSchema } from '../decision/subject-input.js';
import { UNMET_CODES } from '../decision/decision.js';

const attr = z.union([z.string(), z.number(), z.boolean()]);

export const PolicyTestCaseSchema = z
  .object({
    name: z.string().min(1),
    /** Text is classified with the policy's classifiers; scores make a case independent of them. */
    text: z.string().optional(),
    scores: z.partialRecord(CategorySchema, z.number().min(0).max(1)).optional(),
    stage: z.enum(['input', 'output']).optional(),
    /** A subject given inline or by name from the file's `subjects`. */
    subject: z.union([z.string(), SubjectInputSchema]).optional(),
    request: z
      .object({
        tenant: z.string().optional(),
        app: z.string().optional(),
        model: z.string().optional(),
        hasImages: z.boolean().optional(),
        metadata: z.record(z.string(), attr).optional(),
      })
      .strict()
      .optional(),
    servedTarget: z.string().optional(),
    now: z.string().optional(),
    /** Simulate a classifier failure: the case's scores count as coming from a classifier that failed. */
    classifierFails: z.boolean().optional(),
    expect: z
      .object({
        outcome: z.enum(['route', 'block']),
        target: z.string().optional(),
        reason: z.string().optional(),
        determiningRules: z.array(z.string()).optional(),
        matchedRules: z.array(z.string()).optional(),
        unmet: z.array(z.enum(UNMET_CODES)).optional(),
        warnings: z.array(z.string()).optional(),
        redact: z.array(CategorySchema).optional(),
        message: z.string().optional().meta({ description: 'The text of the message the decision carries (a block reason or a warn rule\'s support message).' }),
      })
      .strict(),
  })
  .strict();

export const PolicyTestFileSchema = z
  .object({
    $schema: z.string().optional(),
    description: z.string().optional(),
    /** Decision time for every case unless a case sets its own; keeps expiry checks reproducible. */
    now: z.string().optional(),
    subjects: z.record(z.string(), SubjectInputSchema).optional(),
    cases: z.array(PolicyTestCaseSchema),
  })
  .strict();

export type PolicyTestCase = z.infer<typeof PolicyTestCaseSchema>;
export type PolicyTestFile = z.infer<typeof PolicyTestFileSchema>;
