/** The public methodology page, generated from the scoring model data (never hand-written copies). */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { ItemRule } from '../../scoring/model-schema.ts'
import type { TFunction } from 'i18next'
import { CURRENT_PRIORITY_MODEL } from '../../db/content/priority-model.ts'
import type { Locale } from '../i18n.ts'
import { publishedMethod } from '../waves/method.server.ts'
import { localized } from '../utils/localized.ts'
import {
  getLatestScoringModelRow,
  getQuestionnaire,
  getQuestionnaireIdByVersion,
  getScoringModel,
} from '../models/content.server.ts'
import { getQuestionTexts } from '../questionnaire/texts.server.ts'
import { getCurrentRound, getRound, listRounds } from '../models/round.server.ts'
import { getRoundScoring, roundGates } from '../models/round-scoring.server.ts'

/** One line that says how an answer becomes a 0–1 score. */
function describeRule(rule: ItemRule, choices: Record<string, string>, locale: Locale): string {
  const en = locale === 'en'
  switch (rule.type) {
    case 'choice':
      return Object.entries(rule.scores)
        .map(([value, score]) => `${choices[value] ?? value} → ${score}`)
        .join('; ')
    case 'yesNo':
      return en ? `yes → ${rule.yes}; no → ${rule.no}` : `có → ${rule.yes}; không → ${rule.no}`
    case 'number': {
      const per = rule.per
        ? en
          ? ` per ${rule.per.unit} ${rule.per.question}`
          : ` trên ${rule.per.unit} ${rule.per.question}`
        : ''
      const unit = localized(rule.unit, locale)
      return en
        ? `linear from ${rule.floor} (→ 0) to ${rule.target} (→ 1) ${unit}${per}, capped`
        : `tuyến tính từ ${rule.floor} (→ 0) đến ${rule.target} (→ 1) ${unit}${per}, giới hạn 0–1`
    }
    case 'percentage':
      return en
        ? `linear from ${rule.floor}% (→ 0) to ${rule.target}% (→ 1), capped`
        : `tuyến tính từ ${rule.floor}% (→ 0) đến ${rule.target}% (→ 1), giới hạn 0–1`
    case 'checklist':
      return en
        ? `share of the ${rule.options.length} listed items in place`
        : `tỷ lệ số mục đã có trên ${rule.options.length} mục`
  }
}

/**
 * The method of one round: its scoring model and its gate settings (the
 * round asked for, else the current round; the latest model when there is
 * no round at all). `round: undefined` when the round asked for does not exist.
 */
export async function getMethodologyPage(
  db: Kysely<Database>,
  locale: Locale,
  t: TFunction,
  options: { roundId: number | null; today: string },
) {
  const round = options.roundId
    ? await getRound(db, options.roundId)
    : await getCurrentRound(db, options.today)
  if (options.roundId && !round) return undefined
  const scoring = round ? await getRoundScoring(db, round.id) : null
  const latest = scoring ? null : await getLatestScoringModelRow(db)
  if (!scoring && !latest) return null
  const model = scoring ? scoring.model : await getScoringModel(db, latest?.id ?? 0)
  const gates = roundGates(model, scoring?.gateEnabled ?? {})
  const rounds = await listRounds(db)
  const questionnaireId = await getQuestionnaireIdByVersion(db, model.questionnaireVersion)
  if (questionnaireId === null) return null
  const questionnaire = await getQuestionnaire(db, questionnaireId)
  const texts = getQuestionTexts(questionnaire.json, questionnaire.version, locale)
  // The same lines as the XLSX methodology sheet (one writer for both).
  const method = publishedMethod(
    model,
    CURRENT_PRIORITY_MODEL,
    { locale, t },
    (name) => texts.get(name)?.title ?? name,
  )
  return {
    round: round ? { id: round.id, name: round.name } : null,
    rounds: rounds.map((r) => ({ id: r.id, name: r.name })),
    method,
    priorityModel: { id: CURRENT_PRIORITY_MODEL.id, version: CURRENT_PRIORITY_MODEL.version },
    model: {
      id: model.id,
      version: model.version,
      title: localized(model.title, locale),
      questionnaireVersion: model.questionnaireVersion,
      completenessThreshold: model.completenessThreshold,
    },
    domains: model.domains.map((d) => ({
      id: d.id,
      title: localized(d.title, locale),
      weight: d.weight,
      rationale: localized(d.rationale, locale),
      items: model.items
        .filter((i) => i.domainId === d.id)
        .map((i) => ({
          id: i.id,
          question: texts.get(i.id)?.title ?? i.id,
          weight: i.weight,
          rule: describeRule(i.rule, texts.get(i.id)?.choices ?? {}, locale),
          allowNotApplicable: i.allowNotApplicable,
          allowDontKnow: i.allowDontKnow,
          evidenceRequired: i.evidenceRequired,
          rationale: localized(i.rationale, locale),
          source: i.source,
        })),
    })),
    gates: model.gates.map((g) => ({
      id: g.id,
      title: localized(g.title, locale),
      description: localized(g.description, locale),
      condition:
        g.condition.kind === 'item'
          ? {
              kind: 'item' as const,
              target: texts.get(g.condition.itemId)?.title ?? g.condition.itemId,
              minScore: g.condition.minScore,
            }
          : {
              kind: 'domain' as const,
              target: g.condition.domainId,
              minScore: g.condition.minScore,
            },
      // As the round applies it (its settings of configurable gates).
      enabled: gates.find((x) => x.id === g.id)?.enabled ?? g.enabled,
      modelEnabled: g.enabled,
      configurable: g.configurable,
      source: g.source,
    })),
    levels: model.levels.map((l) => ({
      id: l.id,
      title: localized(l.title, locale),
      description: localized(l.description, locale),
      minComposite: l.minComposite,
      gateIds: l.gateIds,
      floors: method.find((m) => m.kind === 'floor' && m.id === l.id)?.detail ?? null,
    })),
  }
}
