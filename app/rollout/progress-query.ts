/** The progress page's and exports' query string: one wave, one province (ministry only). */
import * as z from 'zod'

export const ProgressQuerySchema = z.strictObject({
  wave: z.coerce.number().int().positive().optional(),
  province: z
    .string()
    .regex(/^\d{2}$/)
    .optional(),
})
export type ProgressQuery = z.infer<typeof ProgressQuerySchema>
