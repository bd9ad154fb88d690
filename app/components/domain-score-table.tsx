/**
 * A facility's domain scores beside their weights and the median of its
 * tier: the result page and the printable report show the same table.
 */
import { useNumberFormat } from '../utils/number-format.ts'

export interface DomainScoreRow {
  id: string
  title: string
  /** 0..1 */
  weight: number
  /** 0..1 */
  score: number
  /** 0..1; null when the tier has too few scored facilities. */
  tierMedian: number | null
}

export function DomainScoreTable({
  domains,
  labels,
}: {
  domains: DomainScoreRow[]
  labels: { domain: string; weight: string; score: string; median: string; noMedian: string }
}) {
  const { num, pct } = useNumberFormat()
  // Scores are stored as 0–1 and shown as 0–100, like the composite.
  const score = (n: number) => num(n * 100, 1)
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{labels.domain}</th>
          <th scope="col" className="num">
            {labels.weight}
          </th>
          <th scope="col" className="num">
            {labels.score}
          </th>
          <th scope="col" className="num">
            {labels.median}
          </th>
        </tr>
      </thead>
      <tbody>
        {domains.map((d) => (
          <tr key={d.id}>
            <th scope="row">{d.title}</th>
            <td className="num">{pct(d.weight)}</td>
            <td className="num">{score(d.score)}</td>
            <td className="num">{d.tierMedian === null ? labels.noMedian : score(d.tierMedian)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
