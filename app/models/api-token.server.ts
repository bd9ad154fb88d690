/**
 * API tokens (migration 0019): service accounts of the Ministry's other
 * systems. Stored JSON (`scopes`) is decoded here, once.
 */
import type { Kysely } from 'kysely'
import * as z from 'zod'
import { API_SCOPES, type ApiScope, type Database } from '../../db/schema.ts'

const ScopesSchema = z.array(z.enum(API_SCOPES)).min(1)

function decodeScopes(json: string): ApiScope[] {
  return ScopesSchema.parse(JSON.parse(json))
}

export interface NewApiToken {
  name: string
  scopes: ApiScope[]
  provinceCode: string | null
  tokenHash: string
  createdBy: number
  now: string
  expiresAt: string
}

export async function insertApiToken(db: Kysely<Database>, input: NewApiToken): Promise<number> {
  const row = await db
    .insertInto('api_tokens')
    .values({
      name: input.name,
      scopes: JSON.stringify(ScopesSchema.parse(input.scopes)),
      province_code: input.provinceCode,
      token_hash: input.tokenHash,
      created_by: input.createdBy,
      created_at: input.now,
      expires_at: input.expiresAt,
      revoked_at: null,
      revoked_by: null,
      last_used_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A token by its hash, whatever its state (the caller says why one is refused). */
export async function getApiTokenByHash(db: Kysely<Database>, tokenHash: string) {
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'scopes', 'province_code', 'expires_at', 'revoked_at', 'last_used_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst()
  return row && { ...row, scopes: decodeScopes(row.scopes) }
}

/** Every token, newest first, with who created it (the administrators' page). */
export async function listApiTokens(db: Kysely<Database>) {
  const rows = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.created_by')
    .select([
      'api_tokens.id',
      'api_tokens.name',
      'api_tokens.scopes',
      'api_tokens.province_code',
      'api_tokens.created_at',
      'api_tokens.expires_at',
      'api_tokens.revoked_at',
      'api_tokens.last_used_at',
      'users.display_name as created_by_name',
    ])
    .orderBy('api_tokens.id', 'desc')
    .execute()
  return rows.map((r) => ({ ...r, scopes: decodeScopes(r.scopes) }))
}

/** Revokes a token not yet revoked; returns whether it did. */
export async function revokeApiToken(
  db: Kysely<Database>,
  id: number,
  userId: number,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now, revoked_by: userId })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}

/** Records a use; bookkeeping, like a session's last-seen time. */
export async function touchApiToken(db: Kysely<Database>, id: number, now: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute()
}
