/**
 * The scoring model's answer rules (model 1.1 on) applied to a facility: the
 * registry facts they read, the refusals validation adds at save and submit
 * (and for a reviewer's verified value), and the data-quality flags shown on
 * the review page and marked in wave lists and exports. One home for all of
 * it; the engine's `evaluateAnswerRules` does the logic.
 */
import type { Kysely } from 'kysely'
import type { Database, Facility } from '../../db/schema.ts'
import {
  evaluateAnswerRules,
  type RegistryFacts,
  type RuleHit,
} from '../../scoring/answer-rules.ts'
import type { ScoringModel } from '../../scoring/model-schema.ts'
import type { Answers } from '../../scoring/score.ts'
import type { AnswerError } from '../questionnaire/validate.server.ts'
import { getFacilityRegistryRow } from '../models/facility.server.ts'

export type RegistryRow = Pick<
  Facility,
  | 'ownership'
  | 'tier'
  | 'beds'
  | 'emr_status'
  | 'autonomy_group'
  | 'has_imaging'
  | 'referral_role'
  | 'facility_class'
>

/** The registry row as the rules read it (`hasImaging` a boolean, unknowns null). */
export function registryFacts(row: RegistryRow): RegistryFacts {
  return {
    ownership: row.ownership,
    tier: row.tier,
    beds: row.beds,
    emrStatus: row.emr_status,
    autonomyGroup: row.autonomy_group,
    hasImaging: row.has_imaging === null ? null : row.has_imaging === 1,
    referralRole: row.referral_role,
    facilityClass: row.facility_class,
  }
}

export interface RuleCheck {
  /** Every rule that holds, refusals and flags, in model order. */
  hits: RuleHit[]
  /** Refusals, as validation errors naming the question. */
  refused: AnswerError[]
  /** Data-quality contradictions (never refused). */
  flags: RuleHit[]
}

/** The rule hits split into refusals (validation errors) and flags. */
export function splitRuleHits(hits: readonly RuleHit[]): RuleCheck {
  return {
    hits: [...hits],
    refused: hits
      .filter((h) => h.effect === 'refuse')
      .map((h) => ({ question: h.question, message: h.message })),
    flags: hits.filter((h) => h.effect === 'flag'),
  }
}

/**
 * The model's answer rules on a facility's answers (with the reviewer's
 * verified values on the verified basis). A model without rules (1.0) gives
 * nothing; an unknown facility is a bug, never "no rules".
 */
export async function checkAnswerRules(
  db: Kysely<Database>,
  input: { facilityId: number; model: ScoringModel; answers: Answers; verified?: Answers },
): Promise<RuleCheck> {
  if ((input.model.answerRules ?? []).length === 0) return { hits: [], refused: [], flags: [] }
  const row = await getFacilityRegistryRow(db, input.facilityId)
  if (!row) throw new Error(`facility ${input.facilityId} is not in the registry`)
  return splitRuleHits(
    evaluateAnswerRules(input.model, {
      answers: input.answers,
      verified: input.verified,
      registry: registryFacts(row),
    }),
  )
}
