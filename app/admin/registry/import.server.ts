/**
 * Importing a registry file: the preview (nothing written) and the apply (one
 * transaction, audited with the file's SHA-256). Apply recomputes the preview
 * on the same bytes against the registry as it stands and refuses when any
 * row is refused or when the plan differs from the one the administrator
 * saw (someone changed the registry in between).
 */
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type {
  Database,
  FacilityUpdate,
  NewFacility,
  NewFacilityChange,
} from '../../../db/schema.ts'
import { foldSearchKey } from '../../../db/text.ts'
import { writeAudit } from '../../models/audit.server.ts'
import { insertFacilityChanges } from '../../models/facility-change.server.ts'
import {
  insertFacilities,
  listRegistryFacilities,
  updateFacility,
} from '../../models/facility.server.ts'
import type { RegistryKey, RegistryRecord } from './fields.ts'
import type { FieldChange, FileProblem, RegistryPreview } from './preview.ts'
import { buildPreview } from './preview.ts'
import { getProvinceResolver } from './provinces.server.ts'
import { readRegistryFile, type ReadResult } from './read-file.server.ts'
import { lockTableForWriting } from '../../models/sql-dialect.server.ts'

export type RegistryRefusal = Extract<ReadResult, { kind: 'refused' }> | FileProblem

export type PreviewResult =
  { kind: 'preview'; sha256: string; planHash: string; preview: RegistryPreview } | RegistryRefusal

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** What the apply would write, hashed: the same file on the same registry gives the same hash. */
function planHashOf(preview: RegistryPreview): string {
  return sha256Hex(
    JSON.stringify({
      inserts: preview.inserts.map((i) => i.record),
      updates: preview.updates.map((u) => [u.id, u.changes]),
    }),
  )
}

export async function previewRegistryImport(
  db: Kysely<Database>,
  bytes: Uint8Array,
): Promise<PreviewResult> {
  const table = await readRegistryFile(bytes)
  if (table.kind === 'refused') return table
  const [existing, provinces] = await Promise.all([
    listRegistryFacilities(db),
    getProvinceResolver(db),
  ])
  const preview = buildPreview(table, existing, { provinces })
  if (preview.kind === 'refused') return preview
  return { kind: 'preview', sha256: sha256Hex(bytes), planHash: planHashOf(preview), preview }
}

export interface ApplyInput {
  bytes: Uint8Array
  fileName: string
  /** The plan the administrator approved; null from the command line, which previews and applies at once. */
  planHash: string | null
  userId: number | null
  ip: string | null
  requestId: string | null
  now: string
}

export type ApplyResult =
  | { kind: 'applied'; sha256: string; counts: RegistryPreview['counts'] }
  | { kind: 'errors'; sha256: string; preview: RegistryPreview }
  | { kind: 'stale' }
  | RegistryRefusal

const cellText = (value: string | number | null) => (value === null ? null : String(value))

export async function applyRegistryImport(
  db: Kysely<Database>,
  input: ApplyInput,
): Promise<ApplyResult> {
  // One import at a time: the preview inside the transaction sees what it writes over.
  return db.transaction().execute(async (trx) => {
    await lockTableForWriting(trx, 'facilities')
    const result = await previewRegistryImport(trx, input.bytes)
    if (result.kind !== 'preview') return result
    const { preview, sha256 } = result
    if (preview.errors.length > 0) return { kind: 'errors', sha256, preview }
    if (input.planHash !== null && input.planHash !== result.planHash) return { kind: 'stale' }
    const change = (facilityId: number, rest: Partial<NewFacilityChange>): NewFacilityChange => ({
      facility_id: facilityId,
      kind: 'updated',
      file_sha256: sha256,
      user_id: input.userId,
      changed_at: input.now,
      ...rest,
    })
    const changes: NewFacilityChange[] = []
    const newRows: NewFacility[] = preview.inserts.map(({ record }) => ({
      ...record,
      search_key: foldSearchKey(record.name),
      created_at: input.now,
    }))
    for (const row of await insertFacilities(trx, newRows)) {
      changes.push(change(row.id, { kind: 'created' }))
    }
    for (const update of preview.updates) {
      await updateFacility(trx, update.id, updateValues(update.record, update.changes))
      for (const c of update.changes) {
        changes.push(
          change(update.id, {
            field: c.field,
            old_value: cellText(c.old),
            new_value: cellText(c.new),
          }),
        )
      }
    }
    await insertFacilityChanges(trx, changes)
    await writeAudit(trx, {
      actorId: input.userId,
      action: 'registry.import',
      entityType: 'registry',
      entityId: sha256,
      detail: {
        sha256,
        fileName: input.fileName,
        format: preview.format,
        rows: preview.rows,
        counts: preview.counts,
        missing: preview.missing.length,
        ignoredColumns: preview.ignoredColumns,
      },
      ip: input.ip,
      requestId: input.requestId,
      at: input.now,
    })
    return { kind: 'applied', sha256, counts: preview.counts }
  })
}

/** The columns an update writes: the changed ones, and the search key with the name. */
function updateValues(record: RegistryRecord, changes: FieldChange[]): FacilityUpdate {
  const values: FacilityUpdate = {}
  for (const c of changes) copyColumn(values, record, c.field)
  if (values.name !== undefined) values.search_key = foldSearchKey(record.name)
  return values
}

function copyColumn<K extends RegistryKey>(values: FacilityUpdate, record: RegistryRecord, key: K) {
  const update: Pick<FacilityUpdate, RegistryKey> = values
  update[key] = record[key]
}
