/** One-time invitation and reset links, stored as the SHA-256 of their token. */
import type { Kysely, Transaction } from 'kysely'
import type { AccountTokenKind, Database } from '../../db/schema.ts'

type Db = Kysely<Database> | Transaction<Database>

export interface NewTokenInput {
  userId: number
  kind: AccountTokenKind
  tokenHash: string
  createdBy: number | null
  now: string
  expiresAt: string
}

/** Stores a new link and revokes every earlier unused link of the user (a newer link wins). */
export async function replaceAccountToken(db: Db, input: NewTokenInput): Promise<void> {
  await db
    .updateTable('account_tokens')
    .set({ revoked_at: input.now })
    .where('user_id', '=', input.userId)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute()
  await db
    .insertInto('account_tokens')
    .values({
      user_id: input.userId,
      kind: input.kind,
      token_hash: input.tokenHash,
      created_by: input.createdBy,
      created_at: input.now,
      expires_at: input.expiresAt,
      used_at: null,
      revoked_at: null,
    })
    .execute()
}

/** A link by its hash, whatever its state (the page says why one is refused). */
export async function getAccountToken(db: Db, tokenHash: string) {
  return db
    .selectFrom('account_tokens')
    .innerJoin('users', 'users.id', 'account_tokens.user_id')
    .select([
      'account_tokens.id',
      'account_tokens.user_id',
      'account_tokens.kind',
      'account_tokens.expires_at',
      'account_tokens.used_at',
      'account_tokens.revoked_at',
      'users.login',
      'users.display_name',
      'users.disabled',
    ])
    .where('account_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst()
}

/**
 * Marks a link used, only if it is still unused, not revoked and not
 * expired — in one statement, so two requests with one link cannot both
 * pass. Returns whether it did.
 */
export async function consumeAccountToken(db: Db, id: number, now: string): Promise<boolean> {
  const result = await db
    .updateTable('account_tokens')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}

/** The newest link of a user, for the administrator's user page. */
export async function getLatestAccountToken(db: Db, userId: number) {
  return db
    .selectFrom('account_tokens')
    .select(['kind', 'created_at', 'expires_at', 'used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
}
