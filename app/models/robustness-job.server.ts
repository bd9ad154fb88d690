/** Queries for robustness jobs (robustness_jobs, 0023); the result's JSON is decoded here. */
import { sql, type Kysely, type Updateable } from 'kysely'
import type { Database, RobustnessJobStatus, RobustnessJobTable } from '../../db/schema.ts'
import type { RobustnessResult } from '../../scoring/robustness.ts'

export interface StoredRobustnessJob {
  id: string
  userId: number
  key: string
  status: RobustnessJobStatus
  done: number
  total: number
  seed: number
  alpha: number
  result: RobustnessResult | null
  error: string | null
  createdAt: number
  updatedAt: number
  finishedAt: number | null
}

const COLUMNS = [
  'id',
  'user_id',
  'plan_key',
  'status',
  'done',
  'total',
  'seed',
  'alpha',
  'result_json',
  'error',
  'created_at_ms',
  'updated_at_ms',
  'finished_at_ms',
] as const

type Row = Pick<RobustnessJobTable, (typeof COLUMNS)[number]>

function decode(row: Row): StoredRobustnessJob {
  return {
    id: row.id,
    userId: row.user_id,
    key: row.plan_key,
    status: row.status,
    done: row.done,
    total: row.total,
    seed: row.seed,
    alpha: row.alpha,
    // Written by this app from the worker's validated result.
    result: row.result_json === null ? null : (JSON.parse(row.result_json) as RobustnessResult),
    error: row.error,
    createdAt: row.created_at_ms,
    updatedAt: row.updated_at_ms,
    finishedAt: row.finished_at_ms,
  }
}

export async function insertRobustnessJob(
  db: Kysely<Database>,
  job: Omit<StoredRobustnessJob, 'result' | 'error' | 'finishedAt' | 'updatedAt'>,
): Promise<void> {
  await db
    .insertInto('robustness_jobs')
    .values({
      id: job.id,
      user_id: job.userId,
      plan_key: job.key,
      status: job.status,
      done: job.done,
      total: job.total,
      seed: job.seed,
      alpha: job.alpha,
      result_json: null,
      error: null,
      created_at_ms: job.createdAt,
      updated_at_ms: job.createdAt,
      finished_at_ms: null,
    })
    .execute()
}

/** One job by id, whoever owns it (the caller checks the owner). */
export async function getRobustnessJobById(
  db: Kysely<Database>,
  id: string,
): Promise<StoredRobustnessJob | undefined> {
  const row = await db
    .selectFrom('robustness_jobs')
    .select(COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst()
  return row && decode(row)
}

/** The user's jobs that are not failed, without their results (for the one-job-at-a-time rule). */
export async function listLiveRobustnessJobs(
  db: Kysely<Database>,
  userId: number,
): Promise<Array<Pick<StoredRobustnessJob, 'id' | 'key' | 'status' | 'updatedAt'>>> {
  const rows = await db
    .selectFrom('robustness_jobs')
    .select(['id', 'plan_key', 'status', 'updated_at_ms'])
    .where('user_id', '=', userId)
    .where('status', '!=', 'failed')
    .orderBy('created_at_ms')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    key: r.plan_key,
    status: r.status,
    updatedAt: r.updated_at_ms,
  }))
}

export type RobustnessJobChange = Pick<
  Updateable<RobustnessJobTable>,
  'status' | 'done' | 'error' | 'finished_at_ms'
> & { result?: RobustnessResult }

/** Records a change of a job still open (a finished job never changes again); done is all draws. */
export async function updateOpenRobustnessJob(
  db: Kysely<Database>,
  id: string,
  change: RobustnessJobChange,
  now: number,
): Promise<void> {
  const { result, ...rest } = change
  await db
    .updateTable('robustness_jobs')
    .set({
      ...rest,
      ...(result === undefined ? {} : { result_json: JSON.stringify(result) }),
      ...(rest.status === 'done' ? { done: sql<number>`total` } : {}),
      updated_at_ms: now,
    })
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .execute()
}

/** Forgets jobs that finished at or before `before`. */
export async function deleteRobustnessJobsFinishedBefore(
  db: Kysely<Database>,
  before: number,
): Promise<void> {
  await db.deleteFrom('robustness_jobs').where('finished_at_ms', '<=', before).execute()
}
