/** Rows for user administration, the account pages, the sign-in steps and one-time links. */
import { all, signedIn, type Fixtures, type MatrixRow } from '../access-matrix.routes.ts'

/** Administrators only: everyone else signed in is refused, signed out goes to /login. */
const admins = (status: number) => ({ ...signedIn(403), admin: status })

export async function rows(f: Fixtures): Promise<MatrixRow[]> {
  const director = await f.db
    .selectFrom('users')
    .select('id')
    .where('login', '=', 'giamdoc.thanhhoa')
    .executeTakeFirstOrThrow()
  const user = `/admin/users/${director.id}`
  return [
    { route: 'admin.users._index', path: '/admin/users', expect: admins(200) },
    { route: 'admin.users._index', path: '/admin/users?q=h%C3%B9ng&role=x', expect: admins(200) },
    {
      route: 'admin.users._index',
      path: '/admin/users.data',
      expect: { ...admins(200), anonymous: 202 },
    },
    { route: 'admin.users.new', path: '/admin/users/new', expect: admins(200) },
    {
      route: 'admin.users.new',
      path: '/admin/users/new',
      method: 'POST',
      form: { login: '', displayName: '', role: 'director' },
      expect: admins(400),
    },
    {
      route: 'admin.users.new',
      path: '/admin/users/new',
      method: 'POST',
      form: { login: 'matrix.user', displayName: 'x', role: 'admin' },
      crossSite: true,
      expect: all(403),
    },
    { route: 'admin.users.$userId', path: user, expect: admins(200) },
    { route: 'admin.users.$userId', path: '/admin/users/999999', expect: admins(404) },
    { route: 'admin.users.$userId', path: '/admin/users/abc', expect: admins(404) },
    {
      route: 'admin.users.$userId',
      path: user,
      method: 'POST',
      form: { intent: 'nothing' },
      expect: admins(400),
    },
    {
      route: 'admin.users.$userId',
      path: user,
      method: 'POST',
      form: { intent: 'disable' },
      crossSite: true,
      expect: all(403),
    },
    { route: 'admin.users.$userId_.edit', path: `${user}/edit`, expect: admins(200) },
    { route: 'admin.users.$userId_.edit', path: '/admin/users/999999/edit', expect: admins(404) },
    {
      route: 'admin.users.$userId_.edit',
      path: `${user}/edit`,
      method: 'POST',
      form: { version: '1', displayName: '', role: 'director' },
      expect: admins(400),
    },
    { route: 'admin.users.import', path: '/admin/users/import', expect: admins(200) },
    {
      route: 'admin.users.import',
      path: '/admin/users/import',
      method: 'POST',
      form: { intent: 'apply', rows: '[]' },
      expect: admins(400),
    },
    {
      route: 'admin.users.import_.download',
      path: '/admin/users/import/download',
      method: 'POST',
      form: { format: 'csv' },
      expect: admins(400),
    },
    {
      route: 'admin.users.import_.download',
      path: '/admin/users/import/download',
      expect: admins(405),
    },
    // Every signed-in user has their own account pages.
    { route: 'account._index', path: '/account', expect: signedIn(200) },
    {
      route: 'account._index',
      path: '/account',
      method: 'POST',
      form: { intent: 'nothing' },
      expect: signedIn(400),
    },
    { route: 'account.password', path: '/account/password', expect: signedIn(200) },
    {
      route: 'account.password',
      path: '/account/password',
      method: 'POST',
      form: { current: '', password: '', confirm: '' },
      expect: signedIn(400),
    },
    { route: 'account.two-factor', path: '/account/two-factor', expect: signedIn(200) },
    {
      route: 'account.two-factor',
      path: '/account/two-factor',
      method: 'POST',
      form: { intent: 'enrol', code: 'abc' },
      expect: signedIn(400),
    },
    // The sign-in steps: nobody here is half signed in, so each goes where it belongs.
    { route: 'login_.code', path: '/login/code', expect: all(302) },
    {
      route: 'login_.code',
      path: '/login/code',
      method: 'POST',
      form: { code: '123456' },
      expect: all(302),
    },
    { route: 'login_.enrol', path: '/login/enrol', expect: { ...all(200), anonymous: 302 } },
    {
      route: 'login_.enrol',
      path: '/login/enrol',
      method: 'POST',
      form: { code: '123456' },
      expect: all(302),
    },
    // A link that does not exist: the same answer for everyone, signed in or not.
    { route: 'set-password.$token', path: `/set-password/${'x'.repeat(43)}`, expect: all(404) },
    { route: 'set-password.$token', path: '/set-password/short', expect: all(404) },
    {
      route: 'set-password.$token',
      path: `/set-password/${'x'.repeat(43)}`,
      method: 'POST',
      form: { password: 'a long enough password', confirm: 'a long enough password' },
      expect: all(404),
    },
  ]
}
