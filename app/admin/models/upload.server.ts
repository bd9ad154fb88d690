/**
 * Uploading a questionnaire and/or a scoring-model version: parse, check
 * (compatibility.ts), refuse a version already stored, then store each as
 * canonical JSON with the SHA-256 of that text, in one transaction with its
 * audit row. A model uploaded alone is checked against the stored
 * questionnaire it names; one uploaded with a questionnaire, against that one.
 *
 * The stored text and hash follow the shipped content's rule
 * (db/seed-content.ts `contentChecksum`): canonical JSON of the parsed value,
 * the model with its defaults applied, so an upload of a shipped file gives
 * the shipped hash.
 */
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema.ts'
import type { ScoringModel } from '../../../scoring/model-schema.ts'
import { writeAudit } from '../../models/audit.server.ts'
import { getQuestionnaire } from '../../models/content.server.ts'
import {
  findQuestionnaireByVersion,
  findScoringModelByVersion,
  insertQuestionnaire,
  insertScoringModel,
} from '../../models/model-version.server.ts'
import { canonicalJson } from '../../waves/canonical-json.ts'
import { controlCharacterInJson } from '../../utils/control-characters.ts'
import { checkModel, checkPair, checkQuestionnaire, type Problem } from './compatibility.ts'

/** The largest questionnaire or model file taken (the shipped ones are 90–135 KB). */
export const MAX_MODEL_FILE_BYTES = 2 * 1024 * 1024

export interface UploadInput {
  /** The questionnaire's JSON text and the version it is stored under, when one is uploaded. */
  questionnaire: { text: string; version: string } | null
  /** The scoring model's JSON text, when one is uploaded. */
  model: { text: string } | null
}

export type UploadResult =
  | {
      kind: 'stored'
      questionnaire: { id: number; version: string; sha256: string } | null
      model: { id: number; modelId: string; version: string; sha256: string } | null
    }
  /** Nothing was uploaded. */
  | { kind: 'empty' }
  /** A version already stored (same version twice is refused, whatever its content). */
  | { kind: 'duplicate'; what: 'questionnaire' | 'model'; version: string }
  /** The model names a questionnaire version that is neither stored nor uploaded with it. */
  | { kind: 'unknownQuestionnaire'; version: string }
  | { kind: 'invalid'; problems: Problem[] }

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

/**
 * The file's JSON, or why it cannot be taken: bad syntax, or a control
 * character in a string or key. The body check refuses a raw one, but JSON
 * may write it as an escape (`\u0000`), which only parsing reveals, and
 * PostgreSQL cannot store a NUL.
 */
function parseJson(text: string, what: 'questionnaire' | 'model'): unknown | Problem {
  let parsed: unknown
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown
  } catch (error) {
    return {
      code: 'jsonSyntax',
      item: what,
      expected: 'JSON',
      found: error instanceof Error ? error.message : String(error),
    } satisfies Problem
  }
  const control = controlCharacterInJson(parsed)
  if (control) {
    return {
      code: 'controlCharacter',
      item: control.field || what,
      expected: '—',
      found: control.character,
    } satisfies Problem
  }
  return parsed
}

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    'code' in value &&
    ['jsonSyntax', 'controlCharacter'].includes(String((value as { code: unknown }).code))
  )
}

/** Everything an upload is checked for, without writing (the checks run again inside the write). */
async function checkUpload(
  db: Kysely<Database>,
  input: UploadInput,
): Promise<
  | Exclude<UploadResult, { kind: 'stored' }>
  | { kind: 'ok'; questionnaireJson: unknown; model: ScoringModel | null }
> {
  if (!input.questionnaire && !input.model) return { kind: 'empty' }
  const problems: Problem[] = []
  let questionnaireJson: unknown = null
  if (input.questionnaire) {
    const parsed = parseJson(input.questionnaire.text, 'questionnaire')
    if (isProblem(parsed)) problems.push(parsed)
    else {
      questionnaireJson = parsed
      problems.push(...checkQuestionnaire(parsed))
    }
  }
  let model: ScoringModel | null = null
  if (input.model) {
    const parsed = parseJson(input.model.text, 'model')
    if (isProblem(parsed)) problems.push(parsed)
    else {
      const checked = checkModel(parsed)
      if (checked.ok) model = checked.model
      else problems.push(...checked.problems)
    }
  }
  if (problems.length > 0) return { kind: 'invalid', problems }
  if (input.questionnaire) {
    const version = input.questionnaire.version
    if (await findQuestionnaireByVersion(db, version)) {
      return { kind: 'duplicate', what: 'questionnaire', version }
    }
  }
  if (model) {
    if (await findScoringModelByVersion(db, model.id, model.version)) {
      return { kind: 'duplicate', what: 'model', version: `${model.id} ${model.version}` }
    }
    // The questionnaire the model scores: the one uploaded with it, else the stored one it names.
    let target: { version: string; json: unknown }
    if (input.questionnaire) {
      target = { version: input.questionnaire.version, json: questionnaireJson }
    } else {
      const stored = await findQuestionnaireByVersion(db, model.questionnaireVersion)
      if (!stored) return { kind: 'unknownQuestionnaire', version: model.questionnaireVersion }
      target = await getQuestionnaire(db, stored.id)
    }
    const pairProblems = checkPair(target, model)
    if (pairProblems.length > 0) return { kind: 'invalid', problems: pairProblems }
  }
  return { kind: 'ok', questionnaireJson, model }
}

/** Check and store an upload; audited as `models.upload`. */
export async function uploadVersions(
  db: Kysely<Database>,
  input: UploadInput & { userId: number; ip: string; requestId: string; now: string },
): Promise<UploadResult> {
  return db.transaction().execute(async (trx) => {
    // Checked inside the transaction: two uploads of the same version cannot both pass.
    const checked = await checkUpload(trx, input)
    if (checked.kind !== 'ok') return checked
    let questionnaire: Extract<UploadResult, { kind: 'stored' }>['questionnaire'] = null
    if (input.questionnaire) {
      const json = canonicalJson(checked.questionnaireJson)
      const hash = sha256(json)
      const id = await insertQuestionnaire(trx, {
        version: input.questionnaire.version,
        json,
        sha256: hash,
        now: input.now,
      })
      questionnaire = { id, version: input.questionnaire.version, sha256: hash }
    }
    let model: Extract<UploadResult, { kind: 'stored' }>['model'] = null
    if (checked.model) {
      const json = canonicalJson(checked.model)
      const hash = sha256(json)
      const id = await insertScoringModel(trx, {
        modelId: checked.model.id,
        version: checked.model.version,
        json,
        sha256: hash,
        now: input.now,
      })
      model = { id, modelId: checked.model.id, version: checked.model.version, sha256: hash }
    }
    await writeAudit(trx, {
      actorId: input.userId,
      action: 'models.upload',
      entityType: model ? 'scoring_model' : 'questionnaire',
      entityId: model?.id ?? questionnaire?.id ?? null,
      detail: {
        ...(questionnaire
          ? { questionnaire: { version: questionnaire.version, sha256: questionnaire.sha256 } }
          : {}),
        ...(model
          ? { model: { id: model.modelId, version: model.version, sha256: model.sha256 } }
          : {}),
      },
      ip: input.ip,
      requestId: input.requestId,
      at: input.now,
    })
    return { kind: 'stored', questionnaire, model }
  })
}
