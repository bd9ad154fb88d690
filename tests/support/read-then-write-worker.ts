/**
 * One of the processes of tests/integration/sqlite-write-lock.test.ts: opens
 * the SQLite file through the app's own driver (db/client.ts) and, when told
 * to start, runs `count` transactions that read a counter, let the event
 * loop turn (as a real transaction does between its queries), and write it
 * back plus one. It reports how many failed and with which codes.
 */
import { sql } from 'kysely'
import { openDatabase } from '../../db/client.ts'

const [path, countText] = process.argv.slice(2)
if (!path || !countText) throw new Error('usage: read-then-write-worker <file> <count>')
const count = Number(countText)
const { db } = openDatabase(path)

async function run(): Promise<void> {
  const failures: string[] = []
  for (let i = 0; i < count; i += 1) {
    try {
      await db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ value: number }>`SELECT value FROM race_counter`.execute(trx)
        const value = rows[0]?.value
        if (value === undefined) throw new Error('race_counter has no row')
        // Another process may commit here: a turn of the event loop, as in a real request.
        await new Promise<void>((resolve) => setImmediate(resolve))
        await sql`UPDATE race_counter SET value = ${value + 1}`.execute(trx)
      })
    } catch (error) {
      const code = (error as { code?: unknown }).code
      failures.push(typeof code === 'string' ? code : String(error))
    }
  }
  await db.destroy()
  process.send?.({ done: true, failures })
}

process.send?.({ ready: true })
process.once('message', () => {
  void run()
})
