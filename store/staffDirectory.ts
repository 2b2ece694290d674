import type { StaffDirectory, StaffMember, StaffTeam } from '../activities/staffDirectory';
import type { Queryable } from './database';

/**
 * The staff directory's default adapter (issue 26): the case-event store's `staff` and
 * `staff_teams` tables (migration 0007). Staff signing in through the identity provider keep their
 * own entry up to date (`signedIn`, written only when the claims changed); a manager records the
 * rest (`record`) and names the teams (`nameTeam`). What the provider's claims say wins: a
 * manager's entry for someone who signs in through it keeps only what the claims leave out.
 */

/** What the identity provider's claims say of a member of staff (api/auth.ts). */
export interface StaffClaims {
  userId: string;
  name?: string;
  email?: string;
  telephone?: string;
  jobTitle?: string;
  teams: string[];
  roles: string[];
}

type StaffRow = {
  user_id: string;
  name: string | null;
  email: string | null;
  telephone: string | null;
  job_title: string | null;
  teams: string[];
  roles: string[];
  source: StaffMember['source'];
  updated_at: unknown;
};

const memberOf = (row: StaffRow): StaffMember => ({
  userId: row.user_id,
  ...(row.name ? { name: row.name } : {}),
  ...(row.email ? { email: row.email } : {}),
  ...(row.telephone ? { telephone: row.telephone } : {}),
  ...(row.job_title ? { jobTitle: row.job_title } : {}),
  teams: row.teams ?? [],
  roles: row.roles ?? [],
  source: row.source,
  updatedAt: new Date(row.updated_at instanceof Date ? row.updated_at : String(row.updated_at)).toISOString(),
});

const columns = 'user_id, name, email, telephone, job_title, teams, roles, source, updated_at';

export class StoreStaffDirectory implements StaffDirectory {
  /** what each signed-in member's claims last were, so an unchanged sign-in writes nothing */
  private readonly seen = new Map<string, string>();

  constructor(private readonly db: Queryable) {}

  async members(filter: { userIds?: readonly string[]; team?: string } = {}): Promise<StaffMember[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.userIds) {
      params.push([...filter.userIds]);
      where.push(`user_id = ANY($${params.length}::text[])`);
    }
    if (filter.team) {
      params.push([filter.team]);
      where.push(`teams @> $${params.length}::text[]`);
    }
    const { rows } = await this.db.query<StaffRow>(
      `SELECT ${columns} FROM staff ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY coalesce(name, user_id), user_id LIMIT 5000`,
      params,
    );
    return rows.map(memberOf);
  }

  async teams(): Promise<StaffTeam[]> {
    const { rows } = await this.db.query<{
      team_id: string;
      name: string;
      telephone: string | null;
      email: string | null;
    }>('SELECT team_id, name, telephone, email FROM staff_teams ORDER BY name, team_id');
    return rows.map((r) => ({
      teamId: r.team_id,
      name: r.name,
      ...(r.telephone ? { telephone: r.telephone } : {}),
      ...(r.email ? { email: r.email } : {}),
    }));
  }

  /** A sign-in's claims: the member's entry as the provider says it (written only when it changed). */
  async signedIn(claims: StaffClaims): Promise<void> {
    const fingerprint = JSON.stringify(claims);
    if (this.seen.get(claims.userId) === fingerprint) return;
    await this.upsert(claims, 'identityProvider', claims.userId);
    this.seen.set(claims.userId, fingerprint);
  }

  /** A manager's entry for a member of staff. */
  async record(member: StaffClaims, by: string): Promise<StaffMember> {
    this.seen.delete(member.userId);
    await this.upsert(member, 'recorded', by);
    return (await this.members({ userIds: [member.userId] }))[0]!;
  }

  async nameTeam(team: StaffTeam, by: string): Promise<StaffTeam> {
    await this.db.query(
      `INSERT INTO staff_teams (team_id, name, telephone, email, updated_at, updated_by)
       VALUES ($1, $2, $3, $4, now(), $5)
       ON CONFLICT (team_id) DO UPDATE SET name = EXCLUDED.name, telephone = EXCLUDED.telephone,
         email = EXCLUDED.email, updated_at = now(), updated_by = EXCLUDED.updated_by`,
      [team.teamId, team.name, team.telephone ?? null, team.email ?? null, by],
    );
    return team;
  }

  private async upsert(member: StaffClaims, source: StaffMember['source'], by: string) {
    // the provider's claims replace what they say, and leave what they do not say as it was
    const kept = (column: string) =>
      source === 'identityProvider' ? `coalesce(EXCLUDED.${column}, staff.${column})` : `EXCLUDED.${column}`;
    await this.db.query(
      `INSERT INTO staff (user_id, name, email, telephone, job_title, teams, roles, source, updated_at, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now(), $9)
       ON CONFLICT (user_id) DO UPDATE SET name = ${kept('name')}, email = ${kept('email')},
         telephone = ${kept('telephone')}, job_title = ${kept('job_title')}, teams = EXCLUDED.teams,
         roles = EXCLUDED.roles, source = EXCLUDED.source, updated_at = now(), updated_by = EXCLUDED.updated_by`,
      [
        member.userId,
        member.name ?? null,
        member.email ?? null,
        member.telephone ?? null,
        member.jobTitle ?? null,
        member.teams,
        member.roles,
        source,
        by,
      ],
    );
  }
}
