/**
 * The registry in its own import format: the columns of `FIELDS` under their
 * English headers, province as its code, enumerations as their keys; CSV
 * (UTF-8 with BOM, RFC 4180, text escaped against formulas like the wave
 * exports) or XLSX. Closed facilities are included (they are still in the
 * registry), so export → import is a round trip that changes nothing.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema.ts'
import { listRegistryFacilities } from '../../models/facility.server.ts'
import { toCsv, type Cell } from '../../utils/csv.ts'
import { tablesXlsx } from '../../utils/export-files.server.ts'
import { EXPORT_HEADERS, FIELDS, type RegistryRecord } from './fields.ts'

export function registryTable(records: readonly RegistryRecord[]): Cell[][] {
  return [[...EXPORT_HEADERS], ...records.map((r) => FIELDS.map((f) => f.format(r)))]
}

export async function registryCsv(db: Kysely<Database>): Promise<{ csv: string; rows: number }> {
  const records = await listRegistryFacilities(db)
  return { csv: toCsv(registryTable(records)), rows: records.length }
}

export async function registryXlsx(
  db: Kysely<Database>,
  sheetName: string,
): Promise<{ bytes: Uint8Array<ArrayBuffer>; rows: number }> {
  const records = await listRegistryFacilities(db)
  // Codes and phone numbers stay text ("04004" keeps its zero); counts stay numbers.
  const bytes = await tablesXlsx([
    { name: sheetName, rows: registryTable(records), width: () => 18 },
  ])
  return { bytes, rows: records.length }
}
