/**
 * A child process's memory from /proc (Linux): what the server benches report
 * as the server's own footprint, apart from the bench process's.
 */
import { readFileSync } from 'node:fs'

/** A `kB` field of /proc/PID/status, in MB; 0 where unknown (not Linux, or the process is gone). */
function statusMb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  if (pid === undefined) return 0
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]
    return kb ? Number(kb) / 1024 : 0
  } catch {
    return 0
  }
}

/** The resident memory of a process now, in MB. */
export function rssMb(pid: number | undefined): number {
  return statusMb(pid, 'VmRSS')
}

/** The most a process has been resident since it started (the kernel's high-water mark), in MB. */
export function peakRssMb(pid: number | undefined): number {
  return statusMb(pid, 'VmHWM')
}
