/**
 * Domain scores (0–100) of the compared facilities as grouped bars. The page
 * renders the same numbers as a table, so the chart is for the eye only.
 */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, XAxis, YAxis } from 'recharts'

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
        <BarChart data={props.rows} margin={{ top: 8, right: 8, bottom: 48, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="domain"
            interval={0}
            angle={-20}
            textAnchor="end"
            tick={{ fontSize: 12 }}
          />
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
