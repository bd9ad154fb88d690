/**
 * What a round is made of, as the rounds page submits it. Browser-safe: the
 * form shows the same rules. Error messages are keys of the `rounds`
 * namespace's `errors`.
 */
import * as z from 'zod'

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** A real calendar date as YYYY-MM-DD (an `<input type="date">` value). */
export const CalendarDateSchema = z
  .string({ error: 'dateRequired' })
  .trim()
  .min(1, { error: 'dateRequired' })
  .regex(CALENDAR_DATE, { error: 'dateInvalid' })
  .refine(
    (s) => {
      const d = new Date(`${s}T00:00:00Z`)
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
    },
    { error: 'dateInvalid' },
  )

/** A gate's setting in the form: blank keeps the model's, on or off switches it. */
export const GATE_CHOICES = ['', 'on', 'off'] as const

const GateIdSchema = z.string().regex(/^[A-Za-z0-9_]{1,20}$/)

export const RoundFormSchema = z
  .strictObject({
    name: z
      .string({ error: 'nameRequired' })
      .trim()
      .min(1, { error: 'nameRequired' })
      .max(100, { error: 'nameTooLong' })
      .transform((s) => s.normalize('NFC').replace(/\s+/g, ' ')),
    opensOn: CalendarDateSchema,
    closesOn: CalendarDateSchema,
    questionnaireId: z.coerce
      .number({ error: 'questionnaireRequired' })
      .int({ error: 'questionnaireRequired' })
      .positive({ error: 'questionnaireRequired' }),
    scoringModelId: z.coerce
      .number({ error: 'modelRequired' })
      .int({ error: 'modelRequired' })
      .positive({ error: 'modelRequired' }),
    gates: z.record(GateIdSchema, z.enum(GATE_CHOICES, { error: 'gateChoice' })),
  })
  .refine((r) => r.closesOn >= r.opensOn, { path: ['closesOn'], error: 'closesBeforeOpens' })
export type RoundForm = z.infer<typeof RoundFormSchema>

/** The gates a form switches, as stored: gate id → on (true) or off (false). */
export function gateSettingsOf(gates: RoundForm['gates']): Record<string, boolean> {
  const out: Record<string, boolean> = {}
  for (const [id, choice] of Object.entries(gates)) if (choice !== '') out[id] = choice === 'on'
  return out
}

export const ExtensionFormSchema = z.strictObject({
  roundId: z.coerce.number().int().positive(),
  closesOn: CalendarDateSchema,
  reason: z
    .string({ error: 'reasonRequired' })
    .trim()
    .min(1, { error: 'reasonRequired' })
    .max(1000, { error: 'reasonTooLong' })
    .transform((s) => s.normalize('NFC')),
})
export type ExtensionForm = z.infer<typeof ExtensionFormSchema>

export const WithdrawExtensionSchema = z.strictObject({
  roundId: z.coerce.number().int().positive(),
})
