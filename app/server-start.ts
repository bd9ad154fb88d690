/**
 * The server's entry. `npm run build` compiles it, with app/server.ts and the
 * project's TypeScript it imports, into build/server-start.js (esbuild; the
 * packages stay external), which production runs with plain Node: `npm start`,
 * `npm run serve`. Under tsx's loader every module the server loads (React,
 * recharts, survey-core … and the 1.2 MB app bundle) went through its hooks,
 * which doubled the CPU time of a start (2.4 → 1.2 s on this machine).
 * `tsx app/server-start.ts --dev` serves through Vite instead.
 */
import '../db/load-env-file.ts'
import { startServer } from './server.ts'

await startServer()
