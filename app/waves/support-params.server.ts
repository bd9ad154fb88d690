/**
 * The support-curve page's parameters: the planner's round, model, basis and
 * minimum level (parsed by the planner's own schema, so the two pages read
 * them one way), a province (the ministry's choice; a province reviewer's is
 * their own) and a support budget to read off the curves.
 */
import * as z from 'zod'
import type { Locale } from '../i18n.ts'
import { zodMessages } from '../utils/zod-messages.server.ts'
import { parseWaveParams, SupportBudgetSchema, type WaveParams } from './wave-params.server.ts'

/** The planner's parameters the support curve reads; the others do not change it. */
const WAVE_KEYS = ['round', 'model', 'basis', 'minLevel'] as const

export const SupportParamsSchema = z.object({
  /** A province code (two digits); blank: every province in scope. */
  province: z
    .string()
    .refine((v) => /^\d{2}$/.test(v), { params: { key: 'waves:support.params.province' } })
    .optional(),
  /** A support budget (billion VND) to read off each curve; blank: none asked. */
  supportBn: SupportBudgetSchema.optional(),
})
export type SupportParams = z.infer<typeof SupportParamsSchema>

type FieldErrors = Record<string, string[] | undefined>

/**
 * Both parameter sets from one URL; blank fields mean the default (the
 * current round, declared scores, R2) or "not asked". Every refusal is listed
 * by field, worded in `locale`.
 */
export function parseSupportSearch(
  search: URLSearchParams,
  locale: Locale,
):
  | { success: true; data: { wave: WaveParams; support: SupportParams } }
  | { success: false; fieldErrors: FieldErrors } {
  const waveSearch = new URLSearchParams()
  for (const key of WAVE_KEYS) {
    const value = search.get(key)
    if (value !== null) waveSearch.set(key, value)
  }
  const wave = parseWaveParams(waveSearch, locale)
  const support = SupportParamsSchema.safeParse(
    Object.fromEntries(
      (['province', 'supportBn'] as const).flatMap((k) => {
        const value = search.get(k)?.trim() ?? ''
        return value === '' ? [] : [[k, value]]
      }),
    ),
    { error: zodMessages(locale) },
  )
  if (wave.success && support.success) {
    return { success: true, data: { wave: wave.data, support: support.data } }
  }
  const fieldErrors: FieldErrors = {}
  for (const errors of [
    wave.success ? {} : z.flattenError(wave.error).fieldErrors,
    support.success ? {} : z.flattenError(support.error).fieldErrors,
  ] as FieldErrors[]) {
    for (const [key, list] of Object.entries(errors)) {
      if (list) fieldErrors[key] = [...(fieldErrors[key] ?? []), ...list]
    }
  }
  return { success: false, fieldErrors }
}
