/** What a wave is ranked from: each facility in scope with its latest score for a round. */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import { whereInScope } from './facility.server.ts'

/**
 * Facilities in scope with an assessment in the round and a score on the
 * given basis. `verifiedOnly` keeps verified assessments scored on verified
 * values; otherwise submitted and verified assessments on declared values.
 */
export async function listWaveInputs(
  db: Kysely<Database>,
  filter: FacilityFilter,
  input: { roundId: number; scoringModelId: number; verifiedOnly: boolean },
) {
  return whereInScope(db.selectFrom('facilities'), filter)
    .innerJoin('assessments', 'assessments.facility_id', 'facilities.id')
    .innerJoin('scores', 'scores.assessment_id', 'assessments.id')
    .innerJoin('provinces', 'provinces.code', 'facilities.province_code')
    .select([
      'facilities.id',
      'facilities.code',
      'facilities.name',
      'facilities.province_code',
      'provinces.name as province_name',
      'facilities.tier',
      'facilities.ownership',
      'facilities.beds',
      'facilities.autonomy_group',
      'facilities.emr_status',
      'assessments.status',
      'assessments.answers',
      'scores.result_json',
      'scores.basis',
    ])
    .where('assessments.round_id', '=', input.roundId)
    .where('scores.scoring_model_id', '=', input.scoringModelId)
    .where(
      'assessments.status',
      'in',
      input.verifiedOnly ? ['verified'] : ['submitted', 'verified'],
    )
    .where('scores.basis', '=', input.verifiedOnly ? 'verified' : 'declared')
    .orderBy('facilities.code')
    .execute()
}
