/** The cost table's file format (#21): export rows, read back, preview every change and refusal. */
import { describe, expect, it } from 'vitest'
import { remedialCostsV1 } from '../../../db/content/remedial-costs.ts'
import { scoringModelV1_1 } from '../../../db/content/questionnaire.ts'
import type { ScoringModel } from '../../../scoring/model-schema.ts'
import { MAX_ACTION_COST_VND } from '../../../scoring/uplift.ts'
import {
  buildCostTablePreview,
  costTableSheet,
  improvableItemIds,
  NewCostVersionSchema,
  normaliseSource,
  parseVnd,
  type CostTablePreview,
  type PreviewContext,
} from '../../../app/admin/cost-tables-file.ts'
import { parseCsv } from '../../../app/admin/registry/csv.ts'
import type { SheetRow } from '../../../app/admin/registry/read-file.server.ts'
import { toCsv } from '../../../app/utils/csv.ts'

const context: PreviewContext = {
  current: remedialCostsV1.actions,
  modelItemIds: new Set(scoringModelV1_1.items.map((i) => i.id)),
  improvable: improvableItemIds(scoringModelV1_1),
}

/** The export as the import reads it: CSV text through the same parser. */
function exportedRows(): SheetRow[] {
  const csv = toCsv(costTableSheet(remedialCostsV1.actions, (id) => `label ${id}`)).slice(1)
  const parsed = parseCsv(csv, ',')
  if (!('records' in parsed)) throw new Error('unparseable export')
  return parsed.records
    .filter((r) => r.fields.some((f) => f !== ''))
    .map((r) => ({ row: r.line, cells: r.fields }))
}

function preview(rows: SheetRow[]): CostTablePreview {
  const result = buildCostTablePreview({ format: 'csv', rows, problems: [] }, context)
  if (result.kind !== 'preview') throw new Error(JSON.stringify(result))
  return result
}

const first = remedialCostsV1.actions[0]
const second = remedialCostsV1.actions[1]
if (!first || !second) throw new Error('the shipped table is empty')
const unpriced = context.improvable.find(
  (id) => !remedialCostsV1.actions.some((a) => a.itemId === id),
)
if (!unpriced) throw new Error('every improvable item is priced')

/** The exported rows with one row's cells replaced (by column name). */
function edit(rows: SheetRow[], itemId: string, cells: Record<string, string>): SheetRow[] {
  const header = rows[0]?.cells ?? []
  return rows.map((r) =>
    r.cells[0] === itemId ? { ...r, cells: r.cells.map((c, i) => cells[header[i] ?? ''] ?? c) } : r,
  )
}

describe('the cost table file', () => {
  it('reads its own export back as no change at all', () => {
    const p = preview(exportedRows())
    expect(p.errors).toEqual([])
    expect(p.changes).toEqual([])
    expect(p.counts).toEqual({
      added: 0,
      changed: 0,
      removed: 0,
      unchanged: remedialCostsV1.actions.length,
      errorRows: 0,
    })
    expect(new Set(p.actions.map((a) => a.itemId))).toEqual(
      new Set(remedialCostsV1.actions.map((a) => a.itemId)),
    )
  })

  it('lists a changed cost and source old → new, an added action and a removed one', () => {
    const rows = edit(exportedRows(), first.itemId, {
      cost_vnd: '200.000.000',
      source: 'Quyết định 123/QĐ-BYT',
    }).filter((r) => r.cells[0] !== second.itemId)
    rows.push({
      row: 99,
      cells: [unpriced, '', '5000000', 'Mua', 'Buy', 'Báo giá', 'Quote', 'ước tính'],
    })
    const p = preview(rows)
    expect(p.errors).toEqual([])
    expect(p.counts).toMatchObject({ added: 1, changed: 1, removed: 1 })
    const changed = p.changes.find((c) => c.itemId === first.itemId)
    expect(changed?.fields).toEqual([
      { field: 'costVnd', old: first.costVnd, new: 200_000_000 },
      { field: 'source', old: 'estimate', new: 'Quyết định 123/QĐ-BYT' },
    ])
    expect(p.changes.find((c) => c.itemId === second.itemId)).toMatchObject({
      kind: 'removed',
      row: null,
      oldCostVnd: second.costVnd,
    })
    const added = p.actions.find((a) => a.itemId === unpriced)
    // "ước tính" is stored as the one word the roadmap and the pages translate.
    expect(added).toEqual({
      itemId: unpriced,
      costVnd: 5_000_000,
      action: { vi: 'Mua', en: 'Buy' },
      basis: { vi: 'Báo giá', en: 'Quote' },
      source: 'estimate',
    })
    // Model order, whatever the file's.
    const order = context.improvable
    const indices = p.actions.map((a) => order.indexOf(a.itemId))
    expect(indices).toEqual([...indices].sort((a, b) => a - b))
  })

  it('refuses bad cells with their row, column and value, and counts nothing they would change', () => {
    const rows = exportedRows()
    const header = rows[0]
    if (!header) throw new Error('no header')
    const bad: SheetRow[] = [
      header,
      { row: 2, cells: ['no_such_item', '', '1', 'a', 'b', 'c', 'd', 'x'] },
      { row: 3, cells: [first.itemId, '', '1,5', 'a', 'b', 'c', 'd', 'x'] },
      { row: 4, cells: [second.itemId, '', '-3', 'a', 'b', 'c', 'd', 'x'] },
      { row: 5, cells: [unpriced, '', String(MAX_ACTION_COST_VND + 1), 'a', '', 'c', 'd', ''] },
      { row: 6, cells: [unpriced, '', '10', 'a', 'b', 'c', 'd', 'x'.repeat(301)] },
    ]
    const p = preview(bad)
    expect(p.errors.map((e) => [e.row, e.column, e.error])).toEqual([
      [2, 'item_id', 'unknownItem'],
      [3, 'cost_vnd', 'notWholeVnd'],
      [4, 'cost_vnd', 'notPositive'],
      [5, 'cost_vnd', 'tooLarge'],
      [5, 'action_en', 'required'],
      [5, 'source', 'required'],
      [5, 'item_id', 'duplicateItem'],
      [6, 'source', 'tooLong'],
      [6, 'item_id', 'duplicateItem'],
    ])
    expect(p.errors.find((e) => e.row === 3)?.value).toBe('1,5')
    expect(p.errors.find((e) => e.error === 'tooLarge')?.params).toEqual({
      max: String(MAX_ACTION_COST_VND),
    })
    expect(p.counts.errorRows).toBe(5)
    // A refused row is not a removal; rows left out of this file are.
    expect(p.changes.some((c) => c.itemId === first.itemId)).toBe(false)
  })

  it('refuses an XLSX cell whose formula has no saved value, at its row and column', () => {
    const rows = exportedRows().slice(0, 2)
    const result = buildCostTablePreview(
      {
        format: 'xlsx',
        rows,
        problems: [{ row: 2, column: 2, problem: 'formulaWithoutValue', value: '=B2*12' }],
      },
      context,
    )
    if (result.kind !== 'preview') throw new Error(JSON.stringify(result))
    expect(result.errors).toEqual([
      { row: 2, column: 'cost_vnd', value: '=B2*12', error: 'unreadableCell' },
    ])
  })

  it('refuses a file without a required column or with one twice', () => {
    const rows = exportedRows()
    const noCost = rows.map((r) => ({ ...r, cells: r.cells.filter((_, i) => i !== 2) }))
    expect(buildCostTablePreview({ format: 'csv', rows: noCost, problems: [] }, context)).toEqual({
      kind: 'refused',
      reason: 'missingColumns',
      columns: ['cost_vnd'],
    })
    const twice = rows.map((r, i) => (i === 0 ? { ...r, cells: [...r.cells, 'Cost VND'] } : r))
    expect(buildCostTablePreview({ format: 'csv', rows: twice, problems: [] }, context)).toEqual({
      kind: 'refused',
      reason: 'duplicateColumn',
      columns: ['cost_vnd', 'Cost VND'],
    })
  })

  it('says which items money can improve: weighted or gated ones only', () => {
    const base = scoringModelV1_1
    const [a, b] = base.items
    if (!a || !b) throw new Error('model without items')
    const model: ScoringModel = {
      ...base,
      items: base.items.map((i) => (i.id === a.id || i.id === b.id ? { ...i, weight: 0 } : i)),
      gates: base.gates.filter(
        (g) =>
          !(
            (g.condition.kind === 'item' && g.condition.itemId === a.id) ||
            (g.condition.kind === 'item' && g.condition.itemId === b.id)
          ),
      ),
    }
    const ids = improvableItemIds(model)
    expect(ids).not.toContain(a.id)
    expect(ids).not.toContain(b.id)
    expect(ids).toHaveLength(base.items.length - 2)
    const refused = buildCostTablePreview(
      {
        format: 'csv',
        rows: [
          exportedRows()[0] ?? { row: 1, cells: [] },
          { row: 2, cells: [a.id, '', '1', 'a', 'b', 'c', 'd', 'x'] },
        ],
        problems: [],
      },
      { ...context, improvable: ids },
    )
    expect(refused.kind === 'preview' && refused.errors[0]?.error).toBe('notImprovable')
  })

  it('reads whole VND as Vietnamese and English write it, and nothing else', () => {
    expect(parseVnd('180000000')).toBe(180_000_000)
    expect(parseVnd('180.000.000')).toBe(180_000_000)
    expect(parseVnd('180,000,000')).toBe(180_000_000)
    expect(parseVnd('180 000 000')).toBe(180_000_000)
    for (const bad of ['1,5', '180.000,5', '1.000,000', '12.34', '1e9', '', 'abc', '18.0000']) {
      expect(parseVnd(bad), bad).toBeNull()
    }
    expect(normaliseSource('Ước Tính')).toBe('estimate')
    expect(normaliseSource('ESTIMATE')).toBe('estimate')
    expect(normaliseSource('TT 54/2017/TT-BYT')).toBe('TT 54/2017/TT-BYT')
  })

  it('asks a new version for a label of at most 40 characters and a note in both languages', () => {
    expect(NewCostVersionSchema.safeParse({ version: ' 2 ', noteVi: 'a', noteEn: 'b' })).toEqual({
      success: true,
      data: { version: '2', noteVi: 'a', noteEn: 'b' },
    })
    const bad = NewCostVersionSchema.safeParse({
      version: 'x'.repeat(41),
      noteVi: ' ',
      noteEn: 'b',
    })
    expect(bad.success).toBe(false)
    expect(bad.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['version', 'versionTooLong'],
      ['noteVi', 'noteRequired'],
    ])
  })
})
