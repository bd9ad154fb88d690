/**
 * A province's support curve as a step chart: support (billion VND) across,
 * facilities lifted to the minimum level up. The count steps up at each
 * point's cumulative cost and holds until the next, since a budget between
 * two points lifts only the cheaper ones. The page prints every point in the
 * table below it, so the chart is for the eye only.
 */
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'

export function SupportChart(props: {
  label: string
  seriesName: string
  /** The curve's points: cumulative support (billion VND) and the count it lifts. */
  points: Array<{ bn: number; lifted: number }>
  formatBn: (bn: number) => string
  formatCount: (n: number) => string
}) {
  // From nothing: below the cheapest uplift no facility is lifted.
  const rows = [{ bn: 0, lifted: 0 }, ...props.points]
  return (
    <figure className="chart" aria-label={props.label}>
      <ResponsiveContainer width="100%" height={320}>
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="bn"
            type="number"
            domain={[0, 'dataMax']}
            tick={{ fontSize: 11 }}
            tickFormatter={(v: number) => props.formatBn(v)}
          />
          <YAxis
            allowDecimals={false}
            tick={{ fontSize: 11 }}
            tickFormatter={(v: number) => props.formatCount(v)}
          />
          <Tooltip
            formatter={(v) => (typeof v === 'number' ? props.formatCount(v) : String(v))}
            labelFormatter={(v) => props.formatBn(Number(v))}
          />
          <Line
            type="stepAfter"
            dataKey="lifted"
            name={props.seriesName}
            stroke="#0072B2"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  )
}
