/** The preview's query (`?round=ID&model=ID`), shared by the page, its download and the re-score. */
import * as z from 'zod'

const Id = z.coerce.number().int().min(1).max(2_147_483_647)

export const PreviewParamsSchema = z.object({ round: Id.optional(), model: Id.optional() })
export const RescoreSchema = z.object({ intent: z.literal('rescore'), round: Id, model: Id })

/** Blank fields mean "not chosen yet". */
export function parsePreviewParams(search: URLSearchParams) {
  return PreviewParamsSchema.safeParse(
    Object.fromEntries([...search].filter(([, v]) => v.trim() !== '')),
  )
}
