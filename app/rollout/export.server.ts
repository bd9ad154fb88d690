/**
 * The progress exports: every wave member in scope (one row per facility and
 * wave) with its status, each step's confirmed date, the next step due and
 * the risk reasons, in the reader's language. CSV through `toCsv` (BOM,
 * RFC 4180, formula escaping), XLSX with typed text cells, like the wave and
 * registry exports. Dates are YYYY-MM-DD, amounts VND, so a spreadsheet can
 * compute with them.
 */
import type { TFunction } from 'i18next'
import { MILESTONE_KINDS } from '../../db/schema.ts'
import { toCsv, type Cell } from '../utils/csv.ts'
import { tablesXlsx } from '../utils/export-files.server.ts'
import { riskText } from './messages.ts'
import type { MemberProgress } from './progress.server.ts'

const isoDate = (value: string) => value

export function progressTable(t: TFunction, members: readonly MemberProgress[]): Cell[][] {
  const header = [
    t('rollout:export.code'),
    t('rollout:export.name'),
    t('rollout:export.province'),
    t('rollout:export.tier'),
    t('rollout:export.ownership'),
    t('rollout:export.wave'),
    t('rollout:export.targetGoLive'),
    t('rollout:export.costVnd'),
    t('rollout:export.emrStatus'),
    ...MILESTONE_KINDS.map((k) => t(`rollout:kinds.${k}`)),
    t('rollout:export.nextStep'),
    t('rollout:export.nextDue'),
    t('rollout:export.atRisk'),
    t('rollout:export.reasons'),
  ]
  const rows = members.map((m): Cell[] => {
    const on = new Map(m.confirmed.map((c) => [c.kind, c.on]))
    return [
      m.code,
      m.name,
      m.province,
      t(`common:tiers.${m.tier}`),
      t(`common:ownership.${m.ownership}`),
      m.waveName,
      m.targetGoLive,
      m.costVnd,
      t(`common:emrStatus.${m.emrStatus}`),
      ...MILESTONE_KINDS.map((k) => on.get(k) ?? null),
      m.next ? t(`rollout:kinds.${m.next.kind}`) : null,
      m.next?.dueOn ?? null,
      m.risks.length > 0,
      m.risks.map((r) => riskText(t, r, isoDate)).join('; '),
    ]
  })
  return [header, ...rows]
}

export function progressCsv(t: TFunction, members: readonly MemberProgress[]): string {
  return toCsv(progressTable(t, members))
}

export async function progressXlsx(
  t: TFunction,
  members: readonly MemberProgress[],
): Promise<Uint8Array<ArrayBuffer>> {
  return tablesXlsx([
    {
      name: t('rollout:export.sheet'),
      rows: progressTable(t, members),
      autoFilter: true,
      width: () => 18,
    },
  ])
}
