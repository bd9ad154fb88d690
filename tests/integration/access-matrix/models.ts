/** Rows for questionnaire and model versions: administrators only (`models:manage`). */
import { all, signedIn, type Fixtures, type MatrixRow } from '../access-matrix.routes.ts'

const adminOnly = (status: number) => ({ ...signedIn(403), admin: status })

export async function rows(f: Fixtures): Promise<MatrixRow[]> {
  const round = await f.db
    .selectFrom('rounds')
    .select(['id', 'scoring_model_id'])
    .where('name', '=', 'Đợt 2026')
    .executeTakeFirstOrThrow()
  // Model 1.0.0 scores the same questionnaire: a preview with numbers, never re-scored here.
  const other = await f.db
    .selectFrom('scoring_models')
    .select('id')
    .where('version', '=', '1.0.0')
    .executeTakeFirstOrThrow()
  const preview = `/admin/models/preview?round=${round.id}&model=${other.id}`
  return [
    { route: 'admin.models._index', path: '/admin/models', expect: adminOnly(200) },
    {
      route: 'admin.models._index',
      path: '/admin/models.data',
      expect: { ...adminOnly(200), anonymous: 202 },
    },
    { route: 'admin.models.new', path: '/admin/models/new', expect: adminOnly(200) },
    // Nothing uploaded: refused with its reason for the admin, 403 for the rest.
    {
      route: 'admin.models.new',
      path: '/admin/models/new',
      method: 'POST',
      form: { modelText: '' },
      expect: adminOnly(400),
    },
    {
      route: 'admin.models.new',
      path: '/admin/models/new',
      method: 'POST',
      form: { modelText: '{}' },
      crossSite: true,
      expect: all(403),
    },
    { route: 'admin.models.preview', path: '/admin/models/preview', expect: adminOnly(200) },
    { route: 'admin.models.preview', path: preview, expect: adminOnly(200) },
    {
      route: 'admin.models.preview',
      path: `/admin/models/preview?round=999999&model=${other.id}`,
      expect: adminOnly(404),
    },
    {
      route: 'admin.models.preview',
      path: '/admin/models/preview?round=abc',
      expect: adminOnly(400),
    },
    // The round's own model cannot be re-scored: 400 for the admin, nothing written.
    {
      route: 'admin.models.preview',
      path: '/admin/models/preview',
      method: 'POST',
      form: { intent: 'rescore', round: String(round.id), model: String(round.scoring_model_id) },
      expect: adminOnly(400),
    },
    {
      route: 'admin.models.preview',
      path: '/admin/models/preview',
      method: 'POST',
      form: { intent: 'rescore', round: String(round.id), model: String(other.id) },
      crossSite: true,
      expect: all(403),
    },
    {
      route: 'admin.models.preview[.]xlsx',
      path: `/admin/models/preview.xlsx?round=${round.id}&model=${other.id}`,
      expect: adminOnly(200),
    },
    {
      route: 'admin.models.preview[.]xlsx',
      path: '/admin/models/preview.xlsx',
      expect: adminOnly(400),
    },
  ]
}
