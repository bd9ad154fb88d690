/**
 * A facility's domain scores beside their weights and the median of its
 * tier: the result page and the printable report show the same table.
 */
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

const score = (n: number) => (n * 100).toFixed(1)

export function DomainScoreTable({
  domains,
  labels,
}: {
  domains: DomainScoreRow[]
  labels: { domain: string; weight: string; score: string; median: string; noMedian: string }
}) {
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
            <td className="num">{(d.weight * 100).toFixed(0)}%</td>
            <td className="num">{score(d.score)}</td>
            <td className="num">{d.tierMedian === null ? labels.noMedian : score(d.tierMedian)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
