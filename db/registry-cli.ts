/**
 * The registry sub-commands of the administrator command line:
 *
 *   import-facilities FILE [--dry-run] [--lang vi|en]
 *   export-facilities [FILE]
 *
 * `import-facilities` prints the same preview as /admin/facilities/import
 * (counts, every refused row with its row, column and value, every change
 * old → new, new facilities, facilities missing from the file) and applies it
 * in one audited transaction unless `--dry-run` is given. It exits 1 when the
 * file or any row is refused (nothing is written then), 2 on bad usage.
 * `export-facilities` writes the registry in the import format (CSV) to FILE,
 * or to standard output.
 *
 * `run(argv, io)` is the entry; `npm run admin -- import-facilities …` (db/admin-cli.ts)
 * calls it, and so does the older `npm run admin:registry -- …`.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { basename } from 'node:path'
import i18next, { type TFunction } from 'i18next'
import type { Kysely } from 'kysely'
import { registryCsv } from '../app/admin/registry/export.server.ts'
import { applyRegistryImport, previewRegistryImport } from '../app/admin/registry/import.server.ts'
import { refusalMessage, rowErrorMessage } from '../app/admin/registry/messages.ts'
import type { RegistryPreview } from '../app/admin/registry/preview.ts'
import { MAX_REGISTRY_BYTES } from '../app/admin/registry/read-file.server.ts'
import { getEnv } from '../app/utils/env.server.ts'
import { openConfigured, type DatabaseSettings } from './client.ts'
import type { Database } from './schema.ts'

export interface CliIo {
  out: (line: string) => void
  err: (line: string) => void
  /** Where `export-facilities` without FILE writes. */
  write: (text: string) => void
}

const defaultIo: CliIo = {
  out: (line) => console.info(line),
  err: (line) => console.error(line),
  write: (text) => process.stdout.write(text),
}

const USAGE = 'usage: import-facilities FILE [--dry-run] [--lang vi|en] | export-facilities [FILE]'

/** The `registry` and `common` texts without the bundler (the app's i18n.ts needs Vite's glob). */
function translator(lang: 'vi' | 'en'): TFunction {
  const load = (ns: string) =>
    JSON.parse(readFileSync(new URL(`../app/locales/${lang}/${ns}.json`, import.meta.url), 'utf8'))
  const instance = i18next.createInstance()
  void instance.init({
    lng: lang,
    resources: { [lang]: { registry: load('registry'), common: load('common') } },
    initAsync: false,
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  })
  return instance.t
}

const cell = (value: string | number | null) => (value === null ? '∅' : String(value))

/** The preview as lines of text, complete (the page caps its lists; a terminal can scroll). */
export function previewLines(t: TFunction, preview: RegistryPreview): string[] {
  const lines: string[] = []
  const c = preview.counts
  lines.push(
    `${t('registry:import.new')}: ${c.new} · ${t('registry:import.changed')}: ${c.changed} · ${t('registry:import.unchanged')}: ${c.unchanged} · ${t('registry:import.errorRows')}: ${c.errorRows}`,
  )
  if (preview.ignoredColumns.length > 0) {
    lines.push(t('registry:import.ignoredColumns', { columns: preview.ignoredColumns.join(', ') }))
  }
  if (preview.errors.length > 0) {
    lines.push('', t('registry:import.errorsTitle', { count: preview.errors.length }))
    for (const e of preview.errors) {
      lines.push(
        `  ${t('registry:import.row')} ${e.row}, ${t('registry:import.column')} "${e.column}", "${e.value}": ${rowErrorMessage(t, e)}`,
      )
    }
  }
  if (preview.updates.length > 0) {
    lines.push('', t('registry:import.changesTitle', { count: preview.updates.length }))
    for (const u of preview.updates) {
      for (const ch of u.changes) {
        lines.push(
          `  ${u.code} ${u.name}: ${t(`registry:fields.${ch.field}`)} ${cell(ch.old)} → ${cell(ch.new)}`,
        )
      }
    }
  }
  if (preview.inserts.length > 0) {
    lines.push('', t('registry:import.insertsTitle', { count: preview.inserts.length }))
    for (const i of preview.inserts) lines.push(`  ${i.record.code} ${i.record.name}`)
  }
  if (preview.provinceNotes.length > 0) {
    lines.push('', t('registry:import.provinceNotesTitle', { count: preview.provinceNotes.length }))
    for (const n of preview.provinceNotes) {
      lines.push(
        `  ${t('registry:import.provinceNote', { row: n.row, value: n.value, province: n.province, code: n.code })}`,
      )
    }
  }
  if (preview.missing.length > 0) {
    lines.push('', t('registry:import.missingTitle', { count: preview.missing.length }))
    for (const m of preview.missing) lines.push(`  ${m.code} ${m.name}`)
    lines.push(t('registry:import.missingNote'))
  }
  return lines
}

async function importFacilities(
  db: Kysely<Database>,
  args: string[],
  io: CliIo,
  t: TFunction,
): Promise<number> {
  const file = args.find((a) => !a.startsWith('--'))
  if (!file) {
    io.err(USAGE)
    return 2
  }
  const bytes = new Uint8Array(readFileSync(file))
  if (bytes.byteLength > MAX_REGISTRY_BYTES) {
    io.err(refusalMessage(t, { reason: 'tooLarge' }))
    return 1
  }
  const dryRun = args.includes('--dry-run')
  const result = dryRun
    ? await previewRegistryImport(db, bytes)
    : await applyRegistryImport(db, {
        bytes,
        fileName: basename(file),
        planHash: null,
        userId: null,
        ip: null,
        requestId: null,
        now: new Date().toISOString(),
      })
  switch (result.kind) {
    case 'refused':
      io.err(refusalMessage(t, result))
      return 1
    case 'stale':
      // Only a web apply carries a plan hash; kept for an exhaustive switch.
      io.err(refusalMessage(t, { reason: 'stale' }))
      return 1
    case 'errors':
      for (const line of previewLines(t, result.preview)) io.out(line)
      io.err(t('registry:import.errorsBlock', { count: result.preview.errors.length }))
      return 1
    case 'preview':
      for (const line of previewLines(t, result.preview)) io.out(line)
      if (result.preview.errors.length > 0) {
        io.err(t('registry:import.errorsBlock', { count: result.preview.errors.length }))
        return 1
      }
      io.out(`SHA-256 ${result.sha256} (--dry-run: nothing written)`)
      return 0
    case 'applied':
      io.out(
        t('registry:list.imported', {
          new: result.counts.new,
          changed: result.counts.changed,
          unchanged: result.counts.unchanged,
        }),
      )
      io.out(`SHA-256 ${result.sha256}`)
      return 0
  }
}

/** Runs one sub-command against the database; returns the exit code. */
export async function run(
  argv: string[],
  io: CliIo = defaultIo,
  settings: DatabaseSettings = getEnv(),
): Promise<number> {
  const [command, ...args] = argv
  const langAt = args.indexOf('--lang')
  const lang = langAt >= 0 && args[langAt + 1] === 'en' ? 'en' : 'vi'
  const rest = langAt >= 0 ? args.filter((_, i) => i !== langAt && i !== langAt + 1) : args
  const t = translator(lang)
  if (command !== 'import-facilities' && command !== 'export-facilities') {
    io.err(USAGE)
    return 2
  }
  const { db } = openConfigured(settings)
  try {
    if (command === 'import-facilities') return await importFacilities(db, rest, io, t)
    const { csv, rows } = await registryCsv(db)
    const target = rest[0]
    if (target) {
      writeFileSync(target, csv)
      io.out(`${rows} → ${target}`)
    } else io.write(csv)
    return 0
  } finally {
    await db.destroy()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error)
      process.exit(1)
    },
  )
}
