/**
 * Creating and editing rounds (/admin/rounds). A round's questionnaire,
 * scoring model and gate settings decide what its scores mean, so once any
 * of its assessments was submitted they stay as they are (the dates can
 * still move). Gate settings may name only gates the round's model marks
 * configurable. Every edit is `WHERE version = ?`: a stale form is refused
 * and the administrator's input is shown back, not lost.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { writeAudit } from '../models/audit.server.ts'
import { getScoringModel } from '../models/content.server.ts'
import {
  getRoundForEdit,
  insertRound,
  listContentVersions,
  roundHasSubmissions,
  roundNameTaken,
  updateRound,
  type RoundFields,
} from '../models/round.server.ts'
import type { Locale } from '../i18n.ts'
import type { SessionUser } from '../utils/auth.server.ts'
import { localized } from '../utils/localized.ts'
import type { RequestMeta } from '../utils/login.server.ts'
import { nowIso } from '../utils/time.server.ts'
import { fieldErrors } from './user-input.ts'
import { gateSettingsOf, RoundFormSchema, type RoundForm } from './round-input.ts'

/** The form's text fields as typed (shown back on an error), and its gate choices. */
export function roundFormValues(form: FormData) {
  const text = (k: string) => {
    const v = form.get(k)
    return typeof v === 'string' ? v : ''
  }
  const gates: Record<string, string> = {}
  for (const [key, value] of form) {
    if (key.startsWith('gate.') && typeof value === 'string') gates[key.slice(5)] = value
  }
  return {
    name: text('name'),
    opensOn: text('opensOn'),
    closesOn: text('closesOn'),
    questionnaireId: text('questionnaireId'),
    scoringModelId: text('scoringModelId'),
    gates,
  }
}
export type RoundFormValues = ReturnType<typeof roundFormValues>

export function parseRoundForm(form: FormData) {
  const parsed = RoundFormSchema.safeParse(roundFormValues(form))
  return parsed.success
    ? ({ ok: true, data: parsed.data } as const)
    : ({ ok: false, errors: fieldErrors(parsed.error.issues) } as const)
}

export type RoundWriteResult =
  | { kind: 'saved'; roundId: number }
  | { kind: 'invalid'; errors: Record<string, string> }
  | { kind: 'not_found' }
  | { kind: 'conflict' }

/**
 * The form's choices checked against the stored versions: both exist, the
 * name is free, and every gate it switches is one the model lets a round
 * switch. Field errors, or the fields to store.
 */
async function checkRound(
  db: Kysely<Database>,
  input: RoundForm,
  exceptId: number | null,
): Promise<{ ok: true; fields: RoundFields } | { ok: false; errors: Record<string, string> }> {
  const errors: Record<string, string> = {}
  const versions = await listContentVersions(db)
  if (!versions.questionnaires.some((q) => q.id === input.questionnaireId))
    errors.questionnaireId = 'questionnaireRequired'
  const modelKnown = versions.models.some((m) => m.id === input.scoringModelId)
  if (!modelKnown) errors.scoringModelId = 'modelRequired'
  if (await roundNameTaken(db, input.name, exceptId)) errors.name = 'nameTaken'
  const gateSettings = gateSettingsOf(input.gates)
  if (modelKnown) {
    const model = await getScoringModel(db, input.scoringModelId)
    for (const id of Object.keys(gateSettings)) {
      const gate = model.gates.find((g) => g.id === id)
      if (!gate?.configurable) errors[`gate.${id}`] = 'gateNotConfigurable'
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  return {
    ok: true,
    fields: {
      name: input.name,
      opensOn: input.opensOn,
      closesOn: input.closesOn,
      questionnaireId: input.questionnaireId,
      scoringModelId: input.scoringModelId,
      gateSettings,
    },
  }
}

function audit(
  db: Kysely<Database>,
  actor: SessionUser,
  action: 'round.created' | 'round.updated',
  roundId: number,
  meta: RequestMeta,
  detail: Record<string, unknown>,
) {
  return writeAudit(db, {
    at: nowIso(),
    actorId: actor.id,
    action,
    entityType: 'round',
    entityId: roundId,
    detail,
    ip: meta.clientIp,
    requestId: meta.requestId,
  })
}

export async function createRound(
  db: Kysely<Database>,
  actor: SessionUser,
  input: RoundForm,
  meta: RequestMeta,
): Promise<RoundWriteResult> {
  const checked = await checkRound(db, input, null)
  if (!checked.ok) return { kind: 'invalid', errors: checked.errors }
  return db.transaction().execute(async (trx) => {
    const roundId = await insertRound(trx, checked.fields, nowIso())
    await audit(trx, actor, 'round.created', roundId, meta, { after: checked.fields })
    return { kind: 'saved', roundId } as const
  })
}

export async function editRound(
  db: Kysely<Database>,
  actor: SessionUser,
  roundId: number,
  version: number,
  input: RoundForm,
  meta: RequestMeta,
): Promise<RoundWriteResult> {
  const before = await getRoundForEdit(db, roundId)
  if (!before) return { kind: 'not_found' }
  if (before.version !== version) return { kind: 'conflict' }
  const checked = await checkRound(db, input, roundId)
  if (!checked.ok) return { kind: 'invalid', errors: checked.errors }
  const { fields } = checked
  return db.transaction().execute(async (trx): Promise<RoundWriteResult> => {
    // Inside the transaction, so a submission cannot slip in between check and write.
    if (await roundHasSubmissions(trx, roundId)) {
      const errors: Record<string, string> = {}
      if (fields.questionnaireId !== before.questionnaire_id)
        errors.questionnaireId = 'lockedAfterSubmit'
      if (fields.scoringModelId !== before.scoring_model_id)
        errors.scoringModelId = 'lockedAfterSubmit'
      if (!sameGateSettings(fields.gateSettings, before.gate_settings))
        errors.gates = 'lockedAfterSubmit'
      if (Object.keys(errors).length > 0) return { kind: 'invalid', errors }
    }
    if (!(await updateRound(trx, roundId, version, fields))) return { kind: 'conflict' }
    await audit(trx, actor, 'round.updated', roundId, meta, {
      version: version + 1,
      before: {
        name: before.name,
        opensOn: before.opens_on,
        closesOn: before.closes_on,
        questionnaireId: before.questionnaire_id,
        scoringModelId: before.scoring_model_id,
        gateSettings: before.gate_settings,
      },
      after: fields,
    })
    return { kind: 'saved', roundId }
  })
}

function sameGateSettings(a: Record<string, boolean>, b: Record<string, boolean>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  for (const k of keys) if (a[k] !== b[k]) return false
  return true
}

/**
 * What the round form offers: the stored versions, and every gate some
 * stored model lets a round switch (with the models that do, and whether
 * the model has it on), so the form can say which model allows what.
 */
export async function getRoundFormOptions(db: Kysely<Database>, locale: Locale) {
  const versions = await listContentVersions(db)
  const gates = new Map<string, { id: string; title: string; versions: string[]; on: boolean }>()
  for (const row of versions.models) {
    const model = await getScoringModel(db, row.id)
    for (const gate of model.gates) {
      if (!gate.configurable) continue
      const entry = gates.get(gate.id) ?? {
        id: gate.id,
        title: localized(gate.title, locale),
        versions: [],
        on: gate.enabled,
      }
      entry.versions.push(row.version)
      gates.set(gate.id, entry)
    }
  }
  return {
    questionnaires: versions.questionnaires,
    models: versions.models,
    gates: [...gates.values()].sort((a, b) => a.id.localeCompare(b.id)),
  }
}
