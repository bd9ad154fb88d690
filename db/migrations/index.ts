/**
 * The static migration registry. Nothing scans the file system, so the list
 * survives bundling; order is the key order (numbered names sort).
 */
import type { Migration } from 'kysely'
import * as m0001 from './0001-initial.ts'
import * as m0002 from './0002-director.ts'
import * as m0003 from './0003-review.ts'
import * as m0004 from './0004-waves.ts'
import * as m0005 from './0005-change-counters.ts'
import * as m0006 from './0006-audit-chain.ts'
import * as m0009 from './0009-registry.ts'
import * as m0010 from './0010-accounts.ts'
import * as m0011 from './0011-priorities.ts'
import * as m0012 from './0012-merged-saves.ts'
import * as m0013 from './0013-rounds.ts'
import * as m0014 from './0014-model-versions.ts'
import * as m0018 from './0018-draft-score-counters.ts'
import * as m0019 from './0019-api-tokens.ts'
import * as m0020 from './0020-rollout.ts'
import * as m0021 from './0021-roadmap.ts'
import * as m0022 from './0022-rate-events.ts'
import * as m0023 from './0023-robustness-jobs.ts'

export const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-director': m0002,
  '0003-review': m0003,
  '0004-waves': m0004,
  '0005-change-counters': m0005,
  '0006-audit-chain': m0006,
  '0009-registry': m0009,
  '0010-accounts': m0010,
  '0011-priorities': m0011,
  '0012-merged-saves': m0012,
  '0013-rounds': m0013,
  '0014-model-versions': m0014,
  '0018-draft-score-counters': m0018,
  '0019-api-tokens': m0019,
  '0020-rollout': m0020,
  '0021-roadmap': m0021,
  '0022-rate-events': m0022,
  '0023-robustness-jobs': m0023,
}
