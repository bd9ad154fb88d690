/**
 * The director's result page: the facility's score for a round explained in
 * plain words — composite, level, domains against the tier median, failed
 * gates with the answer that failed each, the five improvements worth most,
 * completeness, the model version — and the history across rounds.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { ScoringModel } from '../../scoring/model-schema.ts'
import { improvementOptions, type AssessmentScore } from '../../scoring/score.ts'
import type { Locale } from '../i18n.ts'
import { localized } from '../utils/localized.ts'
import { MIN_PEER_GROUP, peerMediansByKey } from '../utils/medians.ts'
import { listFacilityAssessments } from '../models/assessment.server.ts'
import { getQuestionnaire, getScoringModel } from '../models/content.server.ts'
import { getFacilityDetails } from '../models/facility.server.ts'
import {
  listPeerComposites,
  listPeerDomainScores,
  type PeerGroup,
} from '../models/review.server.ts'
import { getLatestCostTable } from '../models/roadmap.server.ts'
import { getCurrentScore } from '../models/score.server.ts'
import { decodeAnswers } from '../models/stored-json.server.ts'
import { describeAnswer, getQuestionTexts } from '../questionnaire/texts.server.ts'
import { upliftOptions, type UpliftOption } from './uplift-options.server.ts'

/**
 * The tier's median per domain (0..1) over the current scores of its
 * submitted and verified facilities, and the group's size; the medians are
 * left out below MIN_PEER_GROUP facilities, so no peer's scores can be
 * worked out from them.
 */
async function tierMedians(db: Kysely<Database>, group: PeerGroup) {
  const [composites, domains] = await Promise.all([
    listPeerComposites(db, group),
    listPeerDomainScores(db, group),
  ])
  const medians = peerMediansByKey(domains.map((d) => ({ key: d.domain_id, value: d.score_bp })))
  return {
    size: composites.length,
    min: MIN_PEER_GROUP,
    shown: composites.length >= MIN_PEER_GROUP,
    domain: (id: string) => {
      const bp = medians[id]
      return bp === undefined ? null : bp / 10_000
    },
  }
}

function explainScore(
  model: ScoringModel,
  score: AssessmentScore,
  answers: Record<string, unknown>,
  texts: ReturnType<typeof getQuestionTexts>,
  locale: Locale,
  empty: string,
) {
  const items = new Map(model.items.map((i) => [i.id, i]))
  const gates = score.gates.map((g) => {
    const gate = model.gates.find((x) => x.id === g.id)
    let failedItem: { question: string; answer: string; recommendation: string } | null = null
    if (g.failedBy && 'itemId' in g.failedBy) {
      const item = items.get(g.failedBy.itemId)
      failedItem = {
        question: texts.get(g.failedBy.itemId)?.title ?? g.failedBy.itemId,
        answer: describeAnswer(texts.get(g.failedBy.itemId), answers[g.failedBy.itemId], empty),
        recommendation: item ? localized(item.recommendation, locale) : '',
      }
    }
    return {
      id: g.id,
      title: gate ? localized(gate.title, locale) : g.id,
      description: gate ? localized(gate.description, locale) : '',
      enabled: g.enabled,
      passed: g.passed,
      failedItem,
      failedDomain: g.failedBy && 'domainId' in g.failedBy ? g.failedBy.domainId : null,
    }
  })
  const improvements = improvementOptions(model, score, answers)
    .filter((o) => o.gain > 0)
    .slice(0, 5)
    .map((o) => {
      const item = items.get(o.itemId)
      return {
        itemId: o.itemId,
        question: texts.get(o.itemId)?.title ?? o.itemId,
        answer: describeAnswer(texts.get(o.itemId), answers[o.itemId], empty),
        gain: o.gain,
        recommendation: item ? localized(item.recommendation, locale) : '',
      }
    })
  const level = model.levels.find((l) => l.id === score.level.id)
  return {
    composite: score.composite,
    level: {
      id: score.level.id,
      title: level ? localized(level.title, locale) : score.level.id,
      description: level ? localized(level.description, locale) : '',
      cappedBy: score.level.cappedBy,
    },
    completeness: score.completeness,
    meetsCompleteness: score.meetsCompleteness,
    completenessThreshold: model.completenessThreshold,
    modelVersion: `${score.modelId} ${score.modelVersion}`,
    gates,
    improvements,
  }
}

export async function getResultsPage(
  db: Kysely<Database>,
  facilityId: number,
  locale: Locale,
  empty: string,
) {
  const facility = await getFacilityDetails(db, facilityId)
  if (!facility) return null
  const assessments = await listFacilityAssessments(db, facilityId)
  const history: Array<{
    roundName: string
    status: string
    composite: number
    level: string
    basis: string
    domains: Record<string, number>
  }> = []
  let current:
    | (ReturnType<typeof explainScore> & {
        roundName: string
        status: string
        basis: string
        computedAt: string
        domains: Array<{
          id: string
          title: string
          weight: number
          score: number
          tierMedian: number | null
        }>
        /** The tier's submitted facilities this round; medians show from `min`. */
        peerGroup: { size: number; min: number; shown: boolean }
        /** What support buys, with the newest cost table; null before any is stored. */
        uplift: { costTable: string; options: UpliftOption[] } | null
      })
    | null = null

  for (const a of assessments) {
    const scored = await getCurrentScore(db, a.id)
    if (!scored) continue
    history.push({
      roundName: a.round_name,
      status: a.status,
      composite: scored.score.composite,
      level: scored.score.level.id,
      basis: scored.basis,
      domains: Object.fromEntries(scored.score.domains.map((d) => [d.id, d.score])),
    })
    if (current) continue
    const model = await getScoringModel(db, a.scoring_model_id)
    const questionnaire = await getQuestionnaire(db, a.questionnaire_id)
    const texts = getQuestionTexts(questionnaire.json, questionnaire.version, locale)
    const answers = decodeAnswers(a.answers)
    const peers = await tierMedians(db, {
      roundId: a.round_id,
      tier: facility.tier,
    })
    const costTable = await getLatestCostTable(db)
    current = {
      ...explainScore(model, scored.score, answers, texts, locale, empty),
      roundName: a.round_name,
      status: a.status,
      basis: scored.basis,
      computedAt: scored.computedAt,
      domains: model.domains.map((d) => ({
        id: d.id,
        title: localized(d.title, locale),
        weight: d.weight,
        score: scored.score.domains.find((x) => x.id === d.id)?.score ?? 0,
        tierMedian: peers.domain(d.id),
      })),
      peerGroup: { size: peers.size, min: peers.min, shown: peers.shown },
      uplift: costTable && {
        costTable: costTable.version,
        options: upliftOptions(
          model,
          scored.score,
          costTable.table,
          (itemId) => texts.get(itemId)?.title ?? itemId,
          locale,
        ),
      },
    }
  }
  return {
    facility: { id: facilityId, name: facility.name, code: facility.code, tier: facility.tier },
    current,
    history,
  }
}
