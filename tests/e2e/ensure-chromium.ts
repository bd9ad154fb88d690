/**
 * Browser tests drive Debian's Chromium. Where it is missing, install it when
 * we can (root with apt-get), or stop with a one-line instruction.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

function main(): void {
  if (existsSync(CHROMIUM_PATH)) return
  const isRoot = process.getuid?.() === 0
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.info('Chromium is missing: installing Debian chromium with apt-get…')
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' })
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    })
    if (existsSync(CHROMIUM_PATH)) return
  }
  console.error(
    `Chromium not found at ${CHROMIUM_PATH}: run "sudo apt-get install -y chromium" (or set CHROMIUM_PATH), then npm test again.`,
  )
  process.exit(1)
}

if (import.meta.url === `file://${process.argv[1]}`) main()
