/**
 * `npm run demo:code [login]`: the current TOTP codes of the demo accounts
 * that sign in with a second factor. It reads no database: the secrets are
 * the published ones in db/seed.ts (README's demo table), so this is what an
 * authenticator app holding them would show — useless against any account
 * but a demo one.
 */
import { TOTP_PERIOD_SECONDS, totpCodeAt } from '../app/account/totp.server.ts'
import { DEMO_TOTP_SECRETS } from './seed.ts'

const wanted = process.argv[2]
const entries = Object.entries(DEMO_TOTP_SECRETS).filter(([login]) => !wanted || login === wanted)
if (entries.length === 0) {
  console.error(
    `no demo secret for "${wanted}"; demo accounts: ${Object.keys(DEMO_TOTP_SECRETS).join(', ')}`,
  )
  process.exit(1)
}
const left = TOTP_PERIOD_SECONDS - Math.floor((Date.now() / 1000) % TOTP_PERIOD_SECONDS)
for (const [login, secret] of entries) console.info(`${login}: ${totpCodeAt(secret)}`)
console.info(`(valid for ${left} more seconds; each code signs in once)`)
