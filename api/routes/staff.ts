import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withoutControlCharacters } from '../../machines/events';
import { limits } from '../../machines/limits';
import { callerOf, type Caller } from '../auth';
import { ApiError, errorResponses } from '../errors';
import type { RouteDeps } from '../server';

/**
 * The staff directory (issue 26): who the staff are — name, teams, roles, work contact — so pages
 * and letters name them ("Ann Smith, North Team") rather than by their user id. Filled from the
 * identity provider's claims as staff sign in (api/server.ts), and by managers for anyone the
 * provider says nothing of (PUT /staff/{userId}); teams are named with PUT /staff/teams/{teamId}.
 * Staff are not the people supported: reading the directory is not in anyone's access record.
 */

const id = withoutControlCharacters(z.string().trim().min(1).max(limits.idChars));
const text = withoutControlCharacters(z.string().trim().min(1).max(limits.shortTextChars));
const telephone = z
  .string()
  .trim()
  .regex(
    /^\+?[0-9 ()-]{7,20}$/,
    'must be a telephone number: digits, spaces and brackets, e.g. 01629 580000',
  );
const email = z.email({ message: 'must be an email address, e.g. ann.smith@example.gov.uk' }).max(320);

const staffMemberSchema = z
  .object({
    userId: z.string().describe('The id events and allocations name them by'),
    name: z.string().optional(),
    email: z.string().optional(),
    telephone: z.string().optional(),
    jobTitle: z.string().optional(),
    teams: z.array(z.string()),
    roles: z.array(z.string()),
    source: z
      .enum(['identityProvider', 'recorded'])
      .describe("identityProvider: as their last sign-in's claims said; recorded: entered by a manager"),
    updatedAt: z.string(),
  })
  .meta({ id: 'StaffMember', description: 'A member of staff: name, teams, roles and work contact' });

const staffTeamSchema = z
  .object({
    teamId: z.string(),
    name: z.string(),
    telephone: z.string().optional(),
    email: z.string().optional(),
  })
  .meta({ id: 'StaffTeam', description: 'A team and its name, e.g. north: "North Team"' });

export const staffDirectorySchema = z
  .object({
    staff: z.array(staffMemberSchema).describe('By name'),
    teams: z.array(staffTeamSchema).describe('Every team that has a name'),
  })
  .meta({ id: 'StaffDirectory', description: 'The staff directory: its members and the teams’ names' });

const staffBodySchema = z
  .strictObject({
    name: text.describe('e.g. "Ann Smith"'),
    email: email.optional(),
    telephone: telephone.optional(),
    jobTitle: text.optional().describe('e.g. "Social worker"'),
    teams: z.array(id).max(limits.listItems).default([]).describe('The teams they work in, by id'),
    roles: z
      .array(z.enum(['practitioner', 'manager', 'integration', 'auditor']))
      .max(4)
      .default([]),
  })
  .meta({
    id: 'StaffEntry',
    description: "A manager's entry for a member of staff the identity provider says nothing of",
    example: {
      name: 'Ann Smith',
      telephone: '01629 580123',
      jobTitle: 'Social worker',
      teams: ['north'],
      roles: ['practitioner'],
    },
  });

const teamBodySchema = z
  .strictObject({
    name: text.describe('e.g. "North Team"'),
    telephone: telephone.optional(),
    email: email.optional(),
  })
  .meta({
    id: 'TeamEntry',
    description: "A team's name and contact",
    example: { name: 'North Team', telephone: '01629 580000' },
  });

/** A manager names only their own teams (a manager of every team, any). */
function requireManagerOf(caller: Caller, teams: readonly string[], what: string) {
  if (caller.role !== 'manager')
    throw new ApiError(403, `role ${caller.role} may not ${what}; it needs role manager`);
  if (caller.teams === '*') return;
  const others = teams.filter((t) => !(caller.teams as string[]).includes(t));
  if (others.length)
    throw new ApiError(
      403,
      `${others.join(', ')} ${others.length === 1 ? 'is not one of your teams' : 'are not your teams'}: a manager ${what} only for their own teams (${(caller.teams as string[]).join(', ') || 'none'})`,
    );
}

export const staffRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { auth, staff }) => {
  const theDirectory = () => {
    if (!staff)
      throw new ApiError(404, 'this API has no case-event store, where the staff directory is kept');
    return staff;
  };

  app.get(
    '/staff',
    {
      onRequest: auth.require('read'),
      schema: {
        summary: 'The staff directory: names, teams, roles and work contacts, and the teams’ names',
        tags: ['staff'],
        querystring: z.object({
          team: id.optional().describe('Only the members of this team'),
          userId: z
            .union([id, z.array(id).max(limits.listItems)])
            .optional()
            .describe('Only these members (repeat the parameter for several)'),
        }),
        response: { 200: staffDirectorySchema, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      const directory = theDirectory();
      const { team, userId } = request.query;
      const userIds = userId === undefined ? undefined : [userId].flat();
      return {
        staff: await directory.members({ ...(team ? { team } : {}), ...(userIds ? { userIds } : {}) }),
        teams: await directory.teams(),
      };
    },
  );

  app.put(
    '/staff/:userId',
    {
      onRequest: auth.require('read'),
      schema: {
        summary: "Record a member of staff's name, teams and work contact (managers, for their own teams)",
        description:
          'For staff the identity provider says nothing of (e.g. a worker who signs in with an API token). What the ' +
          "provider's claims say replaces this when the person next signs in through it.",
        tags: ['staff'],
        params: z.object({ userId: id }),
        body: staffBodySchema,
        response: { 200: staffMemberSchema, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      requireManagerOf(caller, request.body.teams, 'record staff');
      const { userId } = request.params;
      return theDirectory().record({ userId, ...request.body }, caller.userId);
    },
  );

  app.put(
    '/staff/teams/:teamId',
    {
      onRequest: auth.require('read'),
      schema: {
        summary: "Name a team and give its contact (managers, for their own teams): 'north' is 'North Team'",
        tags: ['staff'],
        params: z.object({ teamId: id }),
        body: teamBodySchema,
        response: { 200: staffTeamSchema, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { teamId } = request.params;
      requireManagerOf(caller, [teamId], 'name teams');
      return theDirectory().nameTeam({ teamId, ...request.body }, caller.userId);
    },
  );
};
