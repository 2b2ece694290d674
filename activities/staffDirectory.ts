/**
 * The staff directory port (issue 26): who a member of staff is — their name, teams, roles and
 * work contact — so that pages and letters say "Ann Smith, North Team" rather than "worker.ann".
 * Filled from the identity provider's claims as staff sign in (api/auth.ts reads the standard
 * OpenID Connect claims name, given_name, family_name, email, phone_number), with a manager's own
 * entries for anyone the provider says nothing of. The default adapter keeps it in the case-event
 * store (store/staffDirectory.ts); a council with a directory service of its own (Microsoft Graph,
 * LDAP) plugs in an adapter with the same calls.
 */

export interface StaffMember {
  /** the id events and allocations name them by (the identity provider's user claim) */
  userId: string;
  name?: string;
  email?: string;
  telephone?: string;
  jobTitle?: string;
  teams: string[];
  roles: string[];
  /** identityProvider: as their last sign-in's claims said; recorded: entered by a manager */
  source: 'identityProvider' | 'recorded';
  updatedAt: string;
}

export interface StaffTeam {
  teamId: string;
  /** e.g. "North Team" */
  name: string;
  telephone?: string;
  email?: string;
}

export interface StaffDirectory {
  /** The members asked for (all, or of one team, or these ids), by name. */
  members(filter?: { userIds?: readonly string[]; team?: string }): Promise<StaffMember[]>;
  /** Every team with a name. */
  teams(): Promise<StaffTeam[]>;
}

/** "north" → "North Team" where the team has a name, else the id as it is. */
export const teamName = (teamId: string, teams: readonly StaffTeam[]): string =>
  teams.find((t) => t.teamId === teamId)?.name ?? teamId;

/**
 * How a page or a letter names a member of staff: "Ann Smith, North Team" (their name and the
 * team, `team` where the case says which, else their first); their id where the directory has no name.
 */
export function staffLabel(
  userId: string,
  directory: { members: readonly StaffMember[]; teams: readonly StaffTeam[] },
  team?: string,
): string {
  const member = directory.members.find((m) => m.userId === userId);
  if (!member?.name) return userId;
  const of = team && member.teams.includes(team) ? team : (team ?? member.teams[0]);
  return of ? `${member.name}, ${teamName(of, directory.teams)}` : member.name;
}
