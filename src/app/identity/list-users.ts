import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { canManageUsers } from '../../core/policy/admin.ts';
import type { UserRole } from '../../db/schema/identity.ts';
import type { IdentityDeps } from './deps.ts';
import { getUserView, presentUser, selectUsersWithUnit, type UserView } from './user-view.ts';

export interface UserQuery {
  role?: UserRole | undefined;
  /** Region code or department id the users are bound to. */
  unit?: string | undefined;
  /** Part of the username or display name. */
  q?: string | undefined;
  includeDisabled?: boolean | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/** The users, for admins, ordered by username. */
export async function listUsers(
  deps: Pick<IdentityDeps, 'db'>,
  actor: Actor,
  query: UserQuery,
): Promise<{ items: UserView[]; total: number }> {
  if (!canManageUsers(actor)) throw new AppError('forbidden', 'Only administrators may list users');
  let q = selectUsersWithUnit(deps.db);
  if (query.role) q = q.where('users.role', '=', query.role);
  if (query.unit) {
    const unit = query.unit;
    q = q.where((eb) => eb.or([eb('users.unit_code', '=', unit), eb('users.department_id', '=', unit)]));
  }
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([eb('users.username', 'ilike', like), eb('users.display_name', 'ilike', like)]),
    );
  }
  if (!query.includeDisabled) q = q.where('users.disabled', '=', false);
  const total = Number(
    (
      await q
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const rows = await q
    .orderBy('users.username')
    .limit(Math.min(Math.max(query.limit ?? 100, 1), 500))
    .offset(Math.max(query.offset ?? 0, 0))
    .execute();
  return { items: rows.map(({ unit_name, ...user }) => presentUser(user, unit_name)), total };
}

/** One user, for admins (and for the user themself). */
export async function getUser(
  deps: Pick<IdentityDeps, 'db'>,
  actor: Actor,
  userId: string,
): Promise<UserView> {
  if (!canManageUsers(actor) && actor.userId !== userId)
    throw new AppError('forbidden', 'Only administrators may read other users');
  return getUserView(deps.db, userId);
}
