/**
 * New versions of the remedial-action cost table (issue #21), the way the
 * registry import works: the administrator downloads the current version
 * (CSV or XLSX), edits it, uploads it with a new version label and a note,
 * sees every change old → new and every refused cell, and saves. Nothing is
 * written while any error remains. Saving is one transaction with one audit
 * row (`cost_table.create`, with the file's SHA-256 and the counts); it
 * recomputes the preview on the same bytes and refuses when the current
 * version moved since the preview. Versions are never edited or deleted
 * (migration 0021's triggers); the roadmap reads the newest.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { LocalizedText, ScoringModel } from '../../scoring/model-schema.ts'
import { RemedialCostTableSchema, type RemedialCostTable } from '../../scoring/uplift.ts'
import type { Locale } from '../i18n.ts'
import { writeAudit } from '../models/audit.server.ts'
import {
  getLatestScoringModelRow,
  getQuestionnaire,
  getQuestionnaireIdByVersion,
  getScoringModel,
} from '../models/content.server.ts'
import {
  costTableVersionTaken,
  getCostTableDetail,
  getLatestCostTable,
  insertCostTable,
} from '../models/roadmap.server.ts'
import { getCurrentRound } from '../models/round.server.ts'
import { lockTableForWriting } from '../models/sql-dialect.server.ts'
import { getQuestionTexts } from '../questionnaire/texts.server.ts'
import { toCsv } from '../utils/csv.ts'
import { tablesXlsx } from '../utils/export-files.server.ts'
import { localized } from '../utils/localized.ts'
import { canonicalJson } from '../waves/canonical-json.ts'
import { sha256Hex } from './registry/import.server.ts'
import { readRegistryFile, type ReadResult } from './registry/read-file.server.ts'
import {
  buildCostTablePreview,
  costTableSheet,
  ESTIMATE,
  improvableItemIds,
  type CostFileProblem,
  type CostTablePreview,
} from './cost-tables-file.ts'

/** A cost table is a few hundred rows at most; 2 MB is far above any honest file. */
export const MAX_COST_FILE_BYTES = 2 * 1024 * 1024

/**
 * The scoring model the cost table is checked against: the current round's
 * (the one the roadmap plans from by default), else the newest stored, as on
 * the methodology page.
 */
export async function getCurrentScoringModel(
  db: Kysely<Database>,
  today: string,
): Promise<ScoringModel | null> {
  const round = await getCurrentRound(db, today)
  const id = round?.scoring_model_id ?? (await getLatestScoringModelRow(db))?.id
  return id === undefined ? null : getScoringModel(db, id)
}

/** Each item's question title in the reader's language (the item id where the questionnaire has none). */
export async function itemLabels(
  db: Kysely<Database>,
  model: ScoringModel,
  locale: Locale,
): Promise<(itemId: string) => string> {
  const questionnaireId = await getQuestionnaireIdByVersion(db, model.questionnaireVersion)
  if (questionnaireId === null) return (id) => id
  const questionnaire = await getQuestionnaire(db, questionnaireId)
  const texts = getQuestionTexts(questionnaire.json, questionnaire.version, locale)
  return (id) => texts.get(id)?.title ?? id
}

/**
 * One version as its page shows it: every action with its item's label from
 * the current model in the reader's language (null when the current model no
 * longer has the item), and whether the roadmap uses this version.
 */
export async function costTableView(
  db: Kysely<Database>,
  id: number,
  options: { locale: Locale; today: string },
) {
  const [detail, latest, model] = await Promise.all([
    getCostTableDetail(db, id),
    getLatestCostTable(db),
    getCurrentScoringModel(db, options.today),
  ])
  if (!detail) return null
  const items = new Set(model?.items.map((i) => i.id) ?? [])
  const labelOf = model ? await itemLabels(db, model, options.locale) : (itemId: string) => itemId
  const text = (t: LocalizedText) => localized(t, options.locale)
  return {
    id: detail.id,
    version: detail.version,
    sha256: detail.sha256,
    createdAt: detail.createdAt,
    createdBy: detail.createdBy,
    current: latest?.id === detail.id,
    note: text(detail.table.note),
    actions: detail.table.actions.map((a) => ({
      itemId: a.itemId,
      item: items.has(a.itemId) ? labelOf(a.itemId) : null,
      action: text(a.action),
      costVnd: a.costVnd,
      basis: text(a.basis),
      /** Null for "estimate", which the page says in the reader's language. */
      source: a.source === ESTIMATE ? null : a.source,
    })),
  }
}

/**
 * What the new-version page needs before any upload: the version it builds
 * on, every item's label (reader's language) for the preview's rows, and the
 * items a new row may price.
 */
export async function newCostVersionPage(
  db: Kysely<Database>,
  options: { locale: Locale; today: string },
) {
  const [current, model] = await Promise.all([
    getLatestCostTable(db),
    getCurrentScoringModel(db, options.today),
  ])
  const labelOf = model ? await itemLabels(db, model, options.locale) : null
  const labels: Record<string, string> = {}
  if (model && labelOf) for (const item of model.items) labels[item.id] = labelOf(item.id)
  const priced = new Set(current?.table.actions.map((a) => a.itemId) ?? [])
  return {
    current: current ? { id: current.id, version: current.version } : null,
    labels,
    /** Items money can improve that have no action yet: the rows a new version may add. */
    unpriced: model ? improvableItemIds(model).filter((id) => !priced.has(id)) : [],
  }
}

/** The current version as the import reads it back (CSV, UTF-8 with BOM; or XLSX). */
export async function exportCostTable(
  db: Kysely<Database>,
  format: 'csv' | 'xlsx',
  options: { locale: Locale; today: string; sheetName: string },
): Promise<{ version: string; id: number; body: string | Uint8Array<ArrayBuffer> } | null> {
  const current = await getLatestCostTable(db)
  const model = await getCurrentScoringModel(db, options.today)
  if (!current || !model) return null
  const rows = costTableSheet(current.table.actions, await itemLabels(db, model, options.locale))
  if (format === 'csv') return { version: current.version, id: current.id, body: toCsv(rows) }
  // Text cells typed as text never run as formulas; costs stay numbers.
  const body = await tablesXlsx([
    { name: options.sheetName, rows, width: (i) => (i === 1 ? 48 : i === 2 ? 16 : 32) },
  ])
  return { version: current.version, id: current.id, body }
}

export interface NewVersion {
  version: string
  note: RemedialCostTable['note']
}

export type CostImportRefusal =
  | Extract<ReadResult, { kind: 'refused' }>
  | CostFileProblem
  | { kind: 'refused'; reason: 'noCostTable' | 'noModel' }

export type CostPreviewResult =
  | {
      kind: 'preview'
      sha256: string
      planHash: string
      base: { id: number; version: string }
      preview: CostTablePreview
      /** The label is already stored: the page asks for another before saving. */
      versionTaken: boolean
    }
  | CostImportRefusal

/** What a save would store, hashed: the same file, label and note on the same base give the same hash. */
function planHashOf(baseId: number, next: NewVersion, preview: CostTablePreview): string {
  return sha256Hex(
    canonicalJson({
      base: baseId,
      version: next.version,
      note: next.note,
      actions: preview.actions,
    }),
  )
}

export async function previewCostTableImport(
  db: Kysely<Database>,
  bytes: Uint8Array,
  next: NewVersion,
  today: string,
): Promise<CostPreviewResult> {
  if (bytes.byteLength > MAX_COST_FILE_BYTES) return { kind: 'refused', reason: 'tooLarge' }
  const file = await readRegistryFile(bytes)
  if (file.kind === 'refused') return file
  const [current, model] = await Promise.all([
    getLatestCostTable(db),
    getCurrentScoringModel(db, today),
  ])
  if (!current) return { kind: 'refused', reason: 'noCostTable' }
  if (!model) return { kind: 'refused', reason: 'noModel' }
  const preview = buildCostTablePreview(file, {
    current: current.table.actions,
    modelItemIds: new Set(model.items.map((i) => i.id)),
    improvable: improvableItemIds(model),
  })
  if (preview.kind === 'refused') return preview
  return {
    kind: 'preview',
    sha256: sha256Hex(bytes),
    planHash: planHashOf(current.id, next, preview),
    base: { id: current.id, version: current.version },
    preview,
    versionTaken: await costTableVersionTaken(db, next.version),
  }
}

export interface ApplyCostInput extends NewVersion {
  /** The previewed upload, null when it is no longer kept (expired, or already saved). */
  upload: { bytes: Uint8Array; fileName: string } | null
  planHash: string
  userId: number
  ip: string | null
  requestId: string | null
  now: string
  today: string
}

export type ApplyCostResult =
  | { kind: 'created'; id: number; version: string }
  | { kind: 'versionTaken' }
  | { kind: 'expired' }
  | { kind: 'stale' }
  | { kind: 'errors' }
  | { kind: 'noChanges' }
  | CostImportRefusal

/** True when the file's version would change nothing the current version holds. */
export function changesNothing(preview: CostTablePreview): boolean {
  return preview.changes.length === 0
}

export async function applyCostTableImport(
  db: Kysely<Database>,
  input: ApplyCostInput,
): Promise<ApplyCostResult> {
  // One save at a time: the preview inside the transaction sees the version it builds on.
  return db.transaction().execute(async (trx) => {
    await lockTableForWriting(trx, 'remedial_cost_tables')
    // Checked first: the same file saved twice under one label says so, not "expired".
    if (await costTableVersionTaken(trx, input.version)) return { kind: 'versionTaken' }
    const upload = input.upload
    if (!upload) return { kind: 'expired' }
    const result = await previewCostTableImport(trx, upload.bytes, input, input.today)
    if (result.kind !== 'preview') return result
    const { preview, sha256, base } = result
    if (preview.errors.length > 0) return { kind: 'errors' }
    if (result.planHash !== input.planHash) return { kind: 'stale' }
    if (changesNothing(preview)) return { kind: 'noChanges' }
    // The stored table obeys the one schema the roadmap parses it with.
    const table = RemedialCostTableSchema.parse({
      version: input.version,
      currency: 'VND',
      note: input.note,
      actions: preview.actions,
    })
    const json = canonicalJson(table)
    const id = await insertCostTable(trx, {
      version: table.version,
      json,
      sha256: sha256Hex(json),
      createdBy: input.userId,
      createdAt: input.now,
    })
    await writeAudit(trx, {
      actorId: input.userId,
      action: 'cost_table.create',
      entityType: 'cost_table',
      entityId: id,
      detail: {
        version: table.version,
        baseId: base.id,
        baseVersion: base.version,
        sha256,
        fileName: upload.fileName,
        format: preview.format,
        rows: preview.rows,
        actions: table.actions.length,
        counts: {
          added: preview.counts.added,
          changed: preview.counts.changed,
          removed: preview.counts.removed,
          unchanged: preview.counts.unchanged,
        },
      },
      ip: input.ip,
      requestId: input.requestId,
      at: input.now,
    })
    return { kind: 'created', id, version: table.version }
  })
}
