/**
 * The planner's parameters: the URL schema (so a view can be shared and
 * reproduced), the two line parsers (per-facility costs, per-province
 * quotas) shared by the form check and the planner, and the objective they
 * describe.
 */
import * as z from 'zod'
import type { PriorityObjective } from '../../scoring/priority.ts'
import type { Locale } from '../i18n.ts'
import { zodMessages } from '../utils/zod-messages.server.ts'

export const BILLION = 1_000_000_000

// No messages here: `parseWaveParams` words the refusals in the reader's
// language (app/utils/zod-messages.server.ts), for the page and the API alike.
const optionalInt = (min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).optional()

const share = z.coerce.number().min(0).max(1)

function nonBlankLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
}

const COST_LINE = /^([0-9A-Za-z-]{1,20})\s*=\s*(\d{1,3})$/
const QUOTA_LINE = /^(\d{2})\s*=\s*(\d{0,4})\s*-\s*(\d{0,4})$/

/**
 * Per-facility costs from "code=billions" lines (1–100 bn each). One parser
 * for the form check and the planner, so they cannot disagree; bad lines are
 * returned, never skipped.
 */
export function parseCostLines(text: string): { costs: Map<string, number>; bad: string[] } {
  const costs = new Map<string, number>()
  const bad: string[] = []
  for (const line of nonBlankLines(text)) {
    const match = COST_LINE.exec(line)
    const billions = Number(match?.[2] ?? 0)
    if (!match?.[1] || billions < 1 || billions > 100) bad.push(line)
    else costs.set(match[1], billions * BILLION)
  }
  return { costs, bad }
}

/**
 * Per-province quotas from "code=min-max" lines, either bound may be blank
 * ("01=2-10", "79=-5", "04=1-"); each bound given replaces the uniform
 * province minimum or maximum for that province.
 */
export function parseProvinceQuotaLines(text: string): {
  quotas: Map<string, { min?: number; max?: number }>
  bad: string[]
} {
  const quotas = new Map<string, { min?: number; max?: number }>()
  const bad: string[] = []
  for (const line of nonBlankLines(text)) {
    const match = QUOTA_LINE.exec(line)
    if (!match?.[1] || (match[2] === '' && match[3] === '')) bad.push(line)
    else {
      quotas.set(match[1], {
        ...(match[2] ? { min: Number(match[2]) } : {}),
        ...(match[3] ? { max: Number(match[3]) } : {}),
      })
    }
  }
  return { quotas, bad }
}

/**
 * A support budget in billion VND, to the million (three decimals): uplifts
 * cost hundreds of millions, so whole billions would be too coarse.
 */
export const SupportBudgetSchema = z.coerce
  .number()
  .min(0)
  .max(10_000_000)
  .refine((v) => Math.abs(v * 1000 - Math.round(v * 1000)) < 1e-6, {
    params: { key: 'waves:support.params.supportBn' },
  })

/** A support budget in VND (whole dong; `bn` has at most three decimals). */
export function supportBudgetVnd(bn: number): number {
  return Math.round(bn * BILLION)
}

/** The planner's parameters, as they travel in the URL (so a view can be shared and reproduced). */
export const WaveParamsSchema = z
  .object({
    round: optionalInt(1, 1_000_000),
    /** The scoring model (scoring_models.id); default: the round's own. */
    model: optionalInt(1, 1_000_000),
    basis: z.enum(['declared', 'verified']).default('declared'),
    objective: z.enum(['readiness', 'weighted']).default('readiness'),
    wReadiness: share.default(0.6),
    wNeed: share.default(0.25),
    wFeasibility: share.default(0.15),
    /**
     * The lowest readiness level "ready now" may hold (a level id of the model). R2: a wave
     * never selects facilities at R0 or R1 unless the reviewer asks for them.
     */
    minLevel: z
      .string()
      .refine((v) => /^R[0-9]$/.test(v), { params: { key: 'waves:params.level' } })
      .default('R2'),
    capacity: optionalInt(0, 20_000).default(130),
    /** Budget, billion VND. */
    budgetBn: optionalInt(0, 10_000_000).default(1300),
    /** Default cost per facility, billion VND. */
    costBn: optionalInt(1, 100).default(10),
    /** Per-facility costs, one "code=billions" per line. */
    costs: z.string().max(20_000).default(''),
    provinceMin: optionalInt(0, 1000),
    provinceMax: optionalInt(0, 1000),
    /** Per-province overrides of the two above, one "code=min-max" per line. */
    provinceQuotas: z.string().max(5_000).default(''),
    centralMin: optionalInt(0, 1000),
    centralMax: optionalInt(0, 1000),
    provincialMin: optionalInt(0, 1000),
    provincialMax: optionalInt(0, 1000),
    basicMin: optionalInt(0, 1000),
    basicMax: optionalInt(0, 1000),
    /**
     * A support budget (billion VND) spent before the wave is selected, on the cheapest
     * uplifts of facilities below the minimum level (see support-spend). Absent: no support
     * is spent (runs saved before the option have none).
     */
    supportBn: SupportBudgetSchema.optional(),
    /** Robustness: the seed of the weight draws and their number. */
    seed: optionalInt(0, 2_147_483_647).default(2026),
    draws: optionalInt(100, 20_000).default(2000),
  })
  .superRefine((p, ctx) => {
    if (
      p.objective === 'weighted' &&
      Math.abs(p.wReadiness + p.wNeed + p.wFeasibility - 1) > 1e-9
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['wReadiness'],
        params: { key: 'waves:params.weightsSum' },
      })
    }
    for (const line of parseCostLines(p.costs).bad) {
      ctx.addIssue({
        code: 'custom',
        path: ['costs'],
        params: { key: 'waves:params.costLine', values: { line: line.slice(0, 40) } },
      })
    }
    for (const line of parseProvinceQuotaLines(p.provinceQuotas).bad) {
      ctx.addIssue({
        code: 'custom',
        path: ['provinceQuotas'],
        params: { key: 'waves:params.quotaLine', values: { line: line.slice(0, 40) } },
      })
    }
  })
export type WaveParams = z.infer<typeof WaveParamsSchema>

/**
 * A blank form field means "use the default", so blanks are dropped before
 * parsing; refusals are worded in `locale`.
 */
export function parseWaveParams(search: URLSearchParams, locale: Locale) {
  return WaveParamsSchema.safeParse(
    Object.fromEntries([...search].filter(([, v]) => v.trim() !== '')),
    { error: zodMessages(locale) },
  )
}

/** The objective the parameters describe (stored with the plan). */
export function objectiveOf(p: WaveParams): PriorityObjective {
  return p.objective === 'readiness'
    ? { kind: 'readiness' }
    : {
        kind: 'weighted',
        weights: { readiness: p.wReadiness, need: p.wNeed, feasibility: p.wFeasibility },
      }
}
