import type { LoaderFunctionArgs } from '@remix-run/node'
import { notFound, requireApiPermission } from '../utils/auth.server.ts'
import { getRobustnessJob, JobIdSchema } from '../waves/robustness-jobs.server.ts'

/** Progress of the user's own robustness job, polled by the planner page (JSON: 401, never a redirect). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireApiPermission(request, 'waves:view')
  const id = JobIdSchema.safeParse(params.jobId)
  if (!id.success) throw notFound()
  const job = await getRobustnessJob(id.data, user.id)
  if (!job) throw notFound()
  return Response.json(
    { status: job.status, done: job.done, total: job.total, error: job.error },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}
