/**
 * A second (third …) writer process for the audit chain test:
 * `node --import tsx tests/support/audit-writer.ts <database> <rows> <tag>`
 * appends `rows` audit rows through the app's writer, as another server
 * process on the same file would.
 */
import { writeAudit } from '../../app/models/audit.server.ts'
import { openDatabase } from '../../db/client.ts'

const [path, rows, tag] = process.argv.slice(2)
if (!path || !rows || !tag) throw new Error('usage: audit-writer.ts <database> <rows> <tag>')
const { db } = openDatabase(path)
for (let i = 0; i < Number(rows); i++) {
  await writeAudit(db, {
    at: new Date().toISOString(),
    actorId: null,
    action: 'test.concurrent',
    entityType: 'test',
    entityId: `${tag}-${i}`,
  })
}
await db.destroy()
