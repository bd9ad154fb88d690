/**
 * The plainest server that still touches the database: node:http and
 * better-sqlite3 (WAL, synchronous=FULL), answering every request with the
 * heartbeat commit /healthz makes. The limit the cold-start and server-memory
 * benches set the app against; run as `node --input-type=module -e` with
 * PORT and DATABASE_PATH in the environment.
 */
export const BARE_HEARTBEAT_SERVER = `
import { createServer } from 'node:http'
import Database from 'better-sqlite3'
const db = new Database(process.env.DATABASE_PATH)
db.pragma('journal_mode = WAL')
db.pragma('synchronous = FULL')
db.exec('CREATE TABLE IF NOT EXISTS bare_heartbeat (id INTEGER PRIMARY KEY, at TEXT NOT NULL)')
const beat = db.prepare('INSERT OR REPLACE INTO bare_heartbeat (id, at) VALUES (1, ?)')
createServer((req, res) => {
  beat.run(new Date().toISOString())
  res.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
}).listen(Number(process.env.PORT), '127.0.0.1')
`
