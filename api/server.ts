import fastifySwagger from '@fastify/swagger';
import { outboxCopies, type ReadableCopies } from '../activities/outboxCopies';
import { Outbox } from '../activities/outbox';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import path from 'node:path';
import { fileAccessLog, storeAccessLog, type AccessLog } from '../store/accessLog';
import type { CaseEventStore } from '../store/caseEventStore';
import type { CareConfig } from '../temporal.config';
import { installAccessRecord } from './accessRecord';
import { createAuthenticator, refuseDevelopmentTokensOffLoopback, type Authenticator } from './auth';
import { clientErrorHandler, frameworkErrors, installErrorHandlers, installJsonParser } from './errors';
import { JourneyClient, type JourneyClientOptions } from './journeyClient';
import { completeDocument } from './openapi/document';
import { accessRoutes } from './routes/access';
import { codecRoutes } from './routes/codec';
import { eventRoutes } from './routes/events';
import { healthRoutes } from './routes/health';
import { importRoutes } from './routes/imports';
import { journeyRoutes } from './routes/journeys';
import { referralRoutes } from './routes/referrals';
import { reportRoutes } from './routes/reports';
import { statutoryReportRoutes } from './routes/statutoryReports';
import { storeRoutes } from './routes/store';
import { peopleRoutes } from './routes/people';
import { staffRoutes } from './routes/staff';
import { PersonRecordStore } from '../store/personRecord';
import { StoreStaffDirectory } from '../store/staffDirectory';
import { fieldSealerFor } from '../runtime/fieldKeys';
import { AccessScope } from './scope';

/**
 * The HTTP API for operations staff and integrators (OpenAPI at /docs). Built, not started:
 * runtime/start.ts calls listen(); tests use inject().
 */

/** What every route module receives. */
export interface RouteDeps {
  journeys: JourneyClient;
  auth: Authenticator;
  /** access by team (issue 14 point 4): whose journeys each caller reaches */
  scope: AccessScope;
  /** who looked (issue 14 point 5): the store's access_log, else a JSON Lines file */
  accessLog: AccessLog;
  /** the case-event store (issue 12): the lists and closed journeys come from it when given */
  store?: CaseEventStore;
  /** the record's readable copies beside the store (the outbox), which retention removes with it */
  readableCopies: ReadableCopies;
  /** the person records (issue 26), in the case-event store: the person-index port's default adapter */
  people?: PersonRecordStore;
  /** the staff directory (issue 26), in the case-event store */
  staff?: StoreStaffDirectory;
}

export async function buildApi({
  client,
  config,
  logger = false,
  journeyClient = {},
  store,
  accessLog,
  extend,
}: {
  client: Client;
  config: CareConfig;
  /** fail-fast gate, poller window, the in-process worker's state for /healthz */
  journeyClient?: JourneyClientOptions;
  /** Fastify's logger option (start.ts passes true; tests keep it quiet). */
  logger?: FastifyServerOptions['logger'];
  /** the case-event store; without it, the lists come from Temporal visibility alone */
  store?: CaseEventStore;
  /** where the access log goes; default: the store's access_log table, else CARE_DATA_DIR/access-log.jsonl */
  accessLog?: AccessLog;
  /** more on the same server before it is ready, e.g. the operations pages (pages/, registered by runtime/start.ts) */
  extend?: (app: FastifyInstance, deps: RouteDeps) => Promise<unknown>;
}): Promise<FastifyInstance> {
  // the development tokens are public: only an API that only this machine reaches takes them
  refuseDevelopmentTokensOffLoopback(config.api);
  // behind a proxy that ends TLS, its X-Forwarded-* tell the caller's address and https (CARE_TRUST_PROXY)
  const app = Fastify({
    logger,
    trustProxy: config.api.trustProxy,
    // what Node and Fastify refuse before a route sees it still answers in the one error shape
    clientErrorHandler,
    frameworkErrors,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('caller', null);
  // every route as it is added (the pages' too): the access matrix test needs a row for each
  const routeTable: { method: string; url: string }[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeTable.push({ method, url: route.url });
  });
  installJsonParser(app);
  installErrorHandlers(app);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Care journeys',
        version: '0.1.0',
        description:
          'One journey per person through English adult social care (Care Act 2014). ' +
          'Send "Authorization: Bearer <token>": a JWT from the council\'s identity provider (OpenID Connect) or an API token. ' +
          'The token decides who you are, what you may do and whose journeys you reach (your teams); ' +
          'a journey outside your teams answers 404, as if it did not exist. Every read and write of a journey is recorded (GET /journeys/{personId}/access).',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description:
              "A JWT from the council's identity provider (OpenID Connect: issuer, audience, expiry and algorithm checked " +
              'against its JWKS; roles and teams from its claims), or an API token (CARE_API_TOKENS) for an integration.',
          },
        },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    // the discriminator, per-event examples, Retry-After, only the schemas used (api/openapi/document.ts)
    transformObject: (document) => completeDocument(jsonSchemaTransformObject(document)),
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  const deps: RouteDeps = {
    journeys: new JourneyClient(client, config, { ...journeyClient, ...(store ? { store } : {}) }),
    auth: createAuthenticator({ tokens: config.api.tokens, oidc: config.api.oidc }),
    scope: new AccessScope(config.policyProfile),
    accessLog:
      accessLog ??
      (store ? storeAccessLog(store.db) : fileAccessLog(path.join(config.dataDir, 'access-log.jsonl'))),
    ...(store ? { store } : {}),
    // the default adapters' outbox, where the worker writes beside the API (the start command)
    readableCopies: outboxCopies(new Outbox(config.outboxDir)),
  };
  if (store) {
    deps.people = new PersonRecordStore(store.db, fieldSealerFor(config), { accessLog: deps.accessLog });
    deps.staff = new StoreStaffDirectory(store.db);
  }
  installAccessRecord(app, deps.accessLog);
  installStaffSignIns(app, deps.staff);
  await app.register(healthRoutes, deps);
  await app.register(referralRoutes, deps);
  // issue 17: a council's caseload in, each person's journey started at their stage
  await app.register(importRoutes, deps);
  await app.register(eventRoutes, deps);
  await app.register(journeyRoutes, deps);
  // issue 14 point 5: who looked at a journey, for auditors
  await app.register(accessRoutes, deps);
  await app.register(reportRoutes, deps);
  // issue 15: the CLD return and the timeliness measures, from the case-event store
  await app.register(statutoryReportRoutes, {
    ...deps,
    council: { profile: config.policyProfile, extraBankHolidays: config.extraBankHolidays },
  });
  // the codec server (issue 14): converts as this API's client does, with the same codecs
  await app.register(codecRoutes, {
    prefix: '/codec',
    auth: deps.auth,
    scope: deps.scope,
    codecs: client.options.loadedDataConverter.payloadCodecs,
    corsOrigins: config.codec.corsOrigins,
  });
  await app.register(storeRoutes, deps);
  // issue 26: the person record and search, and the staff directory
  await app.register(peopleRoutes, deps);
  await app.register(staffRoutes, deps);
  if (extend) await extend(app, deps);
  await app.ready();
  return app;
}

/**
 * Staff who sign in through the identity provider keep their staff directory entry up to date from
 * their token's profile claims (name, email, telephone) and its roles and teams: written when they
 * changed, never failing the request (the directory is a convenience; the access log is not).
 */
function installStaffSignIns(app: FastifyInstance, staff: StoreStaffDirectory | undefined): void {
  if (!staff) return;
  app.addHook('preHandler', async (request) => {
    const caller = request.caller;
    if (caller?.via !== 'oidc' || !caller.profile) return;
    await staff
      .signedIn({
        userId: caller.userId,
        ...caller.profile,
        teams: caller.teams === '*' ? ['*'] : caller.teams,
        roles: [caller.role],
      })
      .catch((err: unknown) => request.log.warn({ err }, 'staff directory entry not updated'));
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** every route of the server, as added: method and URL pattern */
    routeTable: readonly { method: string; url: string }[];
  }
}
