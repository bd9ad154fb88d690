/**
 * Domain scores (0–100) of the compared facilities as grouped bars. The page
 * renders the same numbers as a table, so the chart is for the eye only.
 */
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Text,
  XAxis,
  YAxis,
  type XAxisTickContentProps,
} from 'recharts'

/** Distinct under the common colour-vision deficiencies (Okabe–Ito). */
const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9']

export interface CompareSeries {
  key: string
  name: string
}

export function CompareChart(props: {
  label: string
  series: CompareSeries[]
  rows: Array<{ domain: string } & Record<string, number | string | null>>
}) {
  return (
    <figure className="chart" aria-label={props.label}>
      <ResponsiveContainer width="100%" height={360}>
        <BarChart data={props.rows} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="domain" interval={0} height={72} tick={WrappedTick} />
          <YAxis domain={[0, 100]} tick={{ fontSize: 11 }} />
          <Legend verticalAlign="top" />
          {props.series.map((s, i) => (
            <Bar
              key={s.key}
              dataKey={s.key}
              name={s.name}
              fill={COLOURS[i % COLOURS.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  )
}

/**
 * A domain's name under its bars, wrapped to the width of its group: slanted
 * labels ran off the left edge and under each other at tablet width.
 */
function WrappedTick(props: XAxisTickContentProps) {
  const groups = Math.max(1, props.visibleTicksCount)
  const width = Math.max(60, Number(props.width ?? 600) / groups - 16)
  return (
    <Text
      className="compare-domain-label"
      x={Number(props.x)}
      y={Number(props.y) + 4}
      width={width}
      textAnchor="middle"
      verticalAnchor="start"
      fontSize={12}
      fill="currentColor"
    >
      {String(props.payload.value ?? '')}
    </Text>
  )
}
