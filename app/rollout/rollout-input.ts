/**
 * What the rollout pages submit. Browser-safe; error messages are keys of the
 * `rollout` namespace's `errors`.
 */
import * as z from 'zod'
import { MILESTONE_KINDS } from '../../db/schema.ts'
import { CalendarDateSchema } from '../admin/round-input.ts'

const text = (max: number, required: string | null) =>
  z
    .string()
    .trim()
    .max(max, { error: 'tooLong' })
    .transform((s) => s.normalize('NFC'))
    .refine((s) => required === null || s.length > 0, { error: required ?? 'required' })

/** Adopting a saved run: the wave's name, target go-live date and budget (billion VND). */
export const AdoptWaveSchema = z.strictObject({
  runId: z.coerce
    .number({ error: 'runRequired' })
    .int({ error: 'runRequired' })
    .positive({ error: 'runRequired' }),
  name: text(200, 'nameRequired'),
  targetGoLive: CalendarDateSchema,
  // A blank budget is refused, not read as 0.
  budgetBn: z
    .string({ error: 'budgetRequired' })
    .trim()
    .min(1, { error: 'budgetRequired' })
    .transform(Number)
    .pipe(
      z
        .number({ error: 'budgetInvalid' })
        .finite({ error: 'budgetInvalid' })
        .min(0, { error: 'budgetInvalid' })
        .max(1_000_000, { error: 'budgetInvalid' }),
    ),
})
export type AdoptWave = z.infer<typeof AdoptWaveSchema>

/** A director's proposal of one step. */
export const ProposeMilestoneSchema = z.strictObject({
  kind: z.enum(MILESTONE_KINDS, { error: 'kindRequired' }),
  occurredOn: CalendarDateSchema,
  note: text(2000, null),
  evidenceRef: text(500, null).transform((s) => (s === '' ? null : s)),
})
export type ProposeMilestone = z.infer<typeof ProposeMilestoneSchema>

/** A reviewer's decision on a proposal; returning needs a comment. */
export const ReviewMilestoneSchema = z
  .strictObject({
    milestoneId: z.coerce.number().int().positive(),
    decision: z.enum(['confirm', 'return']),
    comment: text(2000, null),
  })
  .refine((r) => r.decision === 'confirm' || r.comment.length > 0, {
    path: ['comment'],
    error: 'commentRequired',
  })
export type ReviewMilestoneInput = z.infer<typeof ReviewMilestoneSchema>
