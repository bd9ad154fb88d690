/** Rows for the remedial-action cost table versions: administrators only (`costs:manage`, #21). */
import { all, signedIn, type Fixtures, type MatrixRow } from '../access-matrix.routes.ts'

const adminOnly = (status: number) => ({ ...signedIn(403), admin: status })

export async function rows(f: Fixtures): Promise<MatrixRow[]> {
  const shipped = await f.db
    .selectFrom('remedial_cost_tables')
    .select('id')
    .orderBy('id', 'asc')
    .executeTakeFirstOrThrow()
  const apply = {
    intent: 'apply',
    sha256: 'a'.repeat(64),
    planHash: 'b'.repeat(64),
    version: 'matrix',
    noteVi: 'Ghi chú',
    noteEn: 'Note',
  }
  return [
    { route: 'admin.cost-tables._index', path: '/admin/cost-tables', expect: adminOnly(200) },
    {
      route: 'admin.cost-tables._index',
      path: '/admin/cost-tables.data',
      expect: { ...adminOnly(200), anonymous: 202 },
    },
    {
      route: 'admin.cost-tables.$tableId',
      path: `/admin/cost-tables/${shipped.id}`,
      expect: adminOnly(200),
    },
    {
      route: 'admin.cost-tables.$tableId',
      path: '/admin/cost-tables/999999',
      expect: adminOnly(404),
    },
    { route: 'admin.cost-tables.$tableId', path: '/admin/cost-tables/abc', expect: adminOnly(404) },
    { route: 'admin.cost-tables.new', path: '/admin/cost-tables/new', expect: adminOnly(200) },
    // A save without a previewed upload: refused as expired for the admin, 403 for the rest.
    {
      route: 'admin.cost-tables.new',
      path: '/admin/cost-tables/new',
      method: 'POST',
      form: apply,
      expect: adminOnly(410),
    },
    {
      route: 'admin.cost-tables.new',
      path: '/admin/cost-tables/new',
      method: 'POST',
      form: { intent: 'apply' },
      expect: adminOnly(400),
    },
    {
      route: 'admin.cost-tables.new',
      path: '/admin/cost-tables/new',
      method: 'POST',
      form: apply,
      crossSite: true,
      expect: all(403),
    },
    {
      route: 'admin.cost-tables.export[.]csv',
      path: '/admin/cost-tables/export.csv',
      expect: adminOnly(200),
    },
    {
      route: 'admin.cost-tables.export[.]xlsx',
      path: '/admin/cost-tables/export.xlsx',
      expect: adminOnly(200),
    },
  ]
}
