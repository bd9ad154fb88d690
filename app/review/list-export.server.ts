/**
 * The facilities table and the round overview as files: the page's columns
 * in the reader's language, numbers as numbers (a score on the page's 0–100
 * scale, counts), enumerations as the page shows them. CSV through `toCsv`
 * (BOM, RFC 4180, formula escaping), XLSX through `tablesXlsx` (typed text
 * cells), like the wave, registry and progress exports.
 */
import type { TFunction } from 'i18next'
import type { Cell } from '../utils/csv.ts'
import type { FacilityListRow, ListDomain } from './facility-list.server.ts'
import { OVERVIEW_LEVELS, OVERVIEW_STATUSES, type OverviewRow } from './round-overview.ts'

/** The header, then one row per facility; the sorted domain's score when the page shows it. */
export function facilityListTable(
  t: TFunction,
  rows: readonly FacilityListRow[],
  sortedDomain: ListDomain | null,
): Cell[][] {
  const header = [
    t('review:list.code'),
    t('review:list.name'),
    t('review:listExport.provinceCode'),
    t('review:list.province'),
    t('review:list.tier'),
    t('review:list.ownership'),
    t('review:list.emr'),
    t('review:list.status'),
    t('review:list.composite'),
    t('review:list.level'),
    ...(sortedDomain ? [t('review:list.domain', { domain: sortedDomain.title })] : []),
  ]
  const body = rows.map((r): Cell[] => [
    r.code,
    r.name,
    r.province_code,
    r.province_name,
    t(`common:tiers.${r.tier}`),
    t(`common:ownership.${r.ownership}`),
    t(`common:emrStatus.${r.emr_status}`),
    t(`common:assessmentStatus.${r.status ?? 'not_started'}`),
    r.composite_bp === null ? null : r.composite_bp / 100,
    r.level,
    ...(sortedDomain ? [r.domain_bp === null ? null : r.domain_bp / 100] : []),
  ])
  return [header, ...body]
}

/** The header, then one row per province and, with several, the whole scope's (no code). */
export function roundOverviewTable(
  t: TFunction,
  provinces: readonly OverviewRow[],
  total: OverviewRow | null,
): Cell[][] {
  const header = [
    t('review:listExport.provinceCode'),
    t('review:list.province'),
    ...OVERVIEW_STATUSES.map((s) => t(`common:assessmentStatus.${s}`)),
    t('review:overview.late'),
    t('review:overview.facilities'),
    t('review:listExport.done'),
    ...OVERVIEW_LEVELS,
    t('review:overview.scored'),
  ]
  const body = [...provinces, ...(total ? [total] : [])].map((p): Cell[] => [
    p.code,
    p.name,
    ...OVERVIEW_STATUSES.map((s) => p.status[s] ?? 0),
    p.late,
    p.facilities,
    p.done,
    ...OVERVIEW_LEVELS.map((l) => p.levels[l] ?? 0),
    p.scored,
  ])
  return [header, ...body]
}
