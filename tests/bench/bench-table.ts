/**
 * The one way the benches time a step and print their table: wall time
 * against the target, CPU time beside it (the machine is shared, so wall time
 * varies with load), heap growth and the process's peak RSS so far. A missed
 * target is reported and makes the bench exit 1; nothing is asserted.
 */
import { performance } from 'node:perf_hooks'

export interface BenchRow {
  step: string
  time: string
  cpu: string
  target: string
  heap: string
  rss: string
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`
const peakRss = () => mb(process.resourceUsage().maxRSS * 1024)

/** "< 300 ms ✓" or "< 300 ms ✗"; empty without a target. */
export function verdict(ms: number, target: number | null): string {
  return target === null ? '' : `< ${Math.round(target)} ms ${ms < target ? '✓' : '✗'}`
}

export class BenchTable {
  readonly rows: BenchRow[] = []

  /** Times `fn`; with `runs` > 1 keeps the best run (the least disturbed by the other work on the machine). */
  async measure<T>(
    step: string,
    target: number | null,
    fn: () => Promise<T>,
    runs = 1,
  ): Promise<{ value: T; ms: number }> {
    let best: { value: T; ms: number; cpu: number; heap: number } | null = null
    for (let r = 0; r < runs; r++) {
      const heap0 = process.memoryUsage().heapUsed
      const cpu0 = process.cpuUsage()
      const t0 = performance.now()
      const value = await fn()
      const ms = performance.now() - t0
      const cpu = process.cpuUsage(cpu0)
      const heap = process.memoryUsage().heapUsed - heap0
      if (!best || ms < best.ms) best = { value, ms, cpu: (cpu.user + cpu.system) / 1000, heap }
    }
    if (!best) throw new Error('no run')
    this.rows.push({
      step: runs > 1 ? `${step} (best of ${runs})` : step,
      time: `${best.ms.toFixed(0)} ms`,
      cpu: `${best.cpu.toFixed(0)} ms`,
      target: verdict(best.ms, target),
      heap: mb(Math.max(0, best.heap)),
      rss: peakRss(),
    })
    return { value: best.value, ms: best.ms }
  }

  /** A row computed from others (a sum of two steps against one target). */
  add(step: string, ms: number, target: number | null): void {
    const time = `${ms.toFixed(0)} ms`
    this.rows.push({ step, time, cpu: '', target: verdict(ms, target), heap: '', rss: '' })
  }

  /** Prints the table (Markdown, aligned) and sets exit code 1 when a target was missed. */
  finish(): void {
    const header = ['Step', 'Time', 'CPU', 'Target', 'Heap growth', 'Peak RSS so far']
    const cells = this.rows.map((r) => [r.step, r.time, r.cpu, r.target, r.heap, r.rss])
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]?.length ?? 0)))
    const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`
    console.info(line(header))
    console.info(line(widths.map((w) => '-'.repeat(w))))
    for (const c of cells) console.info(line(c))
    const missed = this.rows.filter((r) => r.target.endsWith('✗'))
    if (missed.length > 0) {
      console.error(`\n${missed.length} target(s) missed: ${missed.map((r) => r.step).join('; ')}`)
      process.exitCode = 1
    }
  }
}

/** One database's rows for the side-by-side table, or why it has none. */
export type BenchColumn = { name: string; rows: BenchRow[] } | { name: string; missing: string }

/**
 * The same steps timed on several databases, a column of time, CPU and peak
 * RSS per database, each time marked ✓/✗ against its target. A column with
 * no rows is printed empty, with its reason below. Sets exit code 1 when a
 * target was missed; a missing column fails only when its run failed.
 */
export function printSideBySide(columns: BenchColumn[], failures: string[] = []): void {
  const steps: string[] = []
  for (const column of columns) {
    if ('rows' in column)
      for (const r of column.rows) if (!steps.includes(r.step)) steps.push(r.step)
  }
  const rowOf = (column: BenchColumn, step: string) =>
    'rows' in column ? column.rows.find((r) => r.step === step) : undefined
  const mark = (target: string) => (target.endsWith('✓') ? ' ✓' : target.endsWith('✗') ? ' ✗' : '')
  const header = [
    'Step',
    'Target',
    ...columns.flatMap((c) => [c.name, `${c.name} CPU`, `${c.name} peak RSS`]),
  ]
  const cells = steps.map((step) => {
    // "< 300 ms", or each database's own when they differ (a target relative to a limit measured there).
    const targets = [
      ...new Set(
        columns
          .map((c) => rowOf(c, step)?.target.replace(/ [✓✗]$/, ''))
          .filter((t): t is string => t !== undefined && t !== ''),
      ),
    ]
    return [
      step,
      targets.join(' / '),
      ...columns.flatMap((c) => {
        const row = rowOf(c, step)
        return row ? [`${row.time}${mark(row.target)}`, row.cpu, row.rss] : ['–', '', '']
      }),
    ]
  })
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]?.length ?? 0)))
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`
  console.info(line(header))
  console.info(line(widths.map((w) => '-'.repeat(w))))
  for (const c of cells) console.info(line(c))
  for (const column of columns) {
    if ('missing' in column) console.info(`\n${column.name}: no figures — ${column.missing}`)
  }
  const missed = columns.flatMap((c) =>
    'rows' in c
      ? c.rows.filter((r) => r.target.endsWith('✗')).map((r) => `${c.name}: ${r.step}`)
      : [],
  )
  if (missed.length > 0) {
    console.error(`\n${missed.length} target(s) missed: ${missed.join('; ')}`)
    process.exitCode = 1
  }
  if (failures.length > 0) {
    console.error(`\n${failures.join('; ')}`)
    process.exitCode = 1
  }
}
