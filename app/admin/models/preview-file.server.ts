/**
 * The preview as an XLSX workbook: every facility compared (one row each, by
 * new rank) and the summary figures, under the reader's language. Composites
 * are written in points with two decimals (basis points / 100), as pages show
 * them; codes stay text so "04004" keeps its zero, and a typed text cell
 * never runs as a formula.
 */
import { tablesXlsx } from '../../utils/export-files.server.ts'
import type { TFunction } from 'i18next'
import type { ModelPreview } from './preview.server.ts'

const points = (bp: number) => bp / 100

export async function previewXlsx(
  preview: ModelPreview,
  t: TFunction,
): Promise<Uint8Array<ArrayBuffer>> {
  const waveIn = new Set(
    preview.wave.kind === 'compared' ? preview.wave.entering.map((r) => r.facilityId) : [],
  )
  const waveOut = new Set(
    preview.wave.kind === 'compared' ? preview.wave.leaving.map((r) => r.facilityId) : [],
  )
  const header = [
    t('models:preview.code'),
    t('models:preview.name'),
    t('models:preview.province'),
    t('models:preview.oldComposite'),
    t('models:preview.oldLevel'),
    t('models:preview.oldRank'),
    t('models:preview.newComposite'),
    t('models:preview.newLevel'),
    t('models:preview.newRank'),
    t('models:preview.compositeChange'),
    t('models:preview.rankChange'),
    t('models:preview.wave'),
  ]
  const rows = preview.rows.map((r) => [
    r.code,
    r.name,
    r.provinceName,
    points(r.oldCompositeBp),
    r.oldLevel,
    r.oldRank,
    points(r.newCompositeBp),
    r.newLevel,
    r.newRank,
    points(r.compositeChangeBp),
    r.rankChange,
    waveIn.has(r.facilityId) ? '+' : waveOut.has(r.facilityId) ? '−' : '',
  ])
  const lines: Array<[string, string | number]> = [
    [t('models:preview.round'), preview.round.name],
    [t('models:preview.oldLevel'), `${preview.oldModel.id} ${preview.oldModel.version}`],
    [t('models:preview.newLevel'), `${preview.newModel.id} ${preview.newModel.version}`],
    [t('models:preview.compared'), preview.compared],
    [t('models:preview.levelChanged'), preview.levels.changed],
    [t('models:preview.levelUp'), preview.levels.up],
    [t('models:preview.levelDown'), preview.levels.down],
    [t('models:preview.tau'), preview.kendallTauB ?? t('models:preview.tauNone')],
    [t('models:preview.meanChange'), preview.meanAbsCompositeChangeBp / 100],
  ]
  if (preview.wave.kind === 'compared') {
    lines.push(
      [
        t('models:preview.entering', { count: preview.wave.entering.length }),
        preview.wave.entering.length,
      ],
      [
        t('models:preview.leaving', { count: preview.wave.leaving.length }),
        preview.wave.leaving.length,
      ],
    )
  }
  return tablesXlsx(
    [
      {
        name: t('models:file.sheetFacilities'),
        rows: [header, ...rows],
        // Composites and their change in points, two decimals.
        numberFormats: { 3: '0.00', 6: '0.00', 9: '0.00' },
        width: (i) => (i === 1 ? 40 : 14),
      },
      {
        name: t('models:file.sheetSummary'),
        rows: [[t('models:file.item'), t('models:file.value')], ...lines],
        width: (i) => (i === 0 ? 44 : 30),
      },
    ],
    { creator: 'Sẵn Sàng' },
  )
}
