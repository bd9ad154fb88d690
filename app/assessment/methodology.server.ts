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
import { getQuestionTexts } from './questionnaire-text.server.ts'

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

export async function getMethodologyPage(db: Kysely<Database>, locale: Locale, t: TFunction) {
  const latest = await getLatestScoringModelRow(db)
  if (!latest) return null
  const model = await getScoringModel(db, latest.id)
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
      enabled: g.enabled,
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
