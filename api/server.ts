import fastifySwagger from '@fastify/swagger';
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
import type { CaseEventStore } from '../store/caseEventStore';
import type { CareConfig } from '../temporal.config';
import { createAuthenticator } from './auth';
import { installErrorHandlers, installJsonParser } from './errors';
import { JourneyClient, type JourneyClientOptions } from './journeyClient';
import { completeDocument } from './openapi/document';
import { codecRoutes } from './routes/codec';
import { eventRoutes } from './routes/events';
import { healthRoutes } from './routes/health';
import { importRoutes } from './routes/imports';
import { journeyRoutes } from './routes/journeys';
import { referralRoutes } from './routes/referrals';
import { reportRoutes } from './routes/reports';
import { statutoryReportRoutes } from './routes/statutoryReports';
import { storeRoutes } from './routes/store';

/**
 * The HTTP API for operations staff and integrators (OpenAPI at /docs). Built, not started:
 * runtime/start.ts calls listen(); tests use inject().
 */

/** What every route module receives. */
export interface RouteDeps {
  journeys: JourneyClient;
  auth: ReturnType<typeof createAuthenticator>;
  /** the case-event store (issue 12): the lists and closed journeys come from it when given */
  store?: CaseEventStore;
}

export async function buildApi({
  client,
  config,
  logger = false,
  journeyClient = {},
  store,
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
  /** more on the same server before it is ready, e.g. the operations pages (pages/, registered by runtime/start.ts) */
  extend?: (app: FastifyInstance, deps: RouteDeps) => Promise<unknown>;
}): Promise<FastifyInstance> {
  const app = Fastify({ logger }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('caller', null);
  installJsonParser(app);
  installErrorHandlers(app);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Care journeys',
        version: '0.1.0',
        description:
          'One journey per person through English adult social care (Care Act 2014). ' +
          'Send "Authorization: Bearer <token>"; the token decides who you are and what you may do.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    // the discriminator, per-event examples, Retry-After, only the schemas used (api/openapi/document.ts)
    transformObject: (document) => completeDocument(jsonSchemaTransformObject(document)),
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  const deps: RouteDeps = {
    journeys: new JourneyClient(client, config, { ...journeyClient, ...(store ? { store } : {}) }),
    auth: createAuthenticator(config.api.tokens),
    ...(store ? { store } : {}),
  };
  await app.register(healthRoutes, deps);
  await app.register(referralRoutes, deps);
  // issue 17: a council's caseload in, each person's journey started at their stage
  await app.register(importRoutes, deps);
  await app.register(eventRoutes, deps);
  await app.register(journeyRoutes, deps);
  await app.register(reportRoutes, deps);
  // issue 15: the CLD return and the timeliness measures, from the case-event store
  await app.register(statutoryReportRoutes, deps);
  // the codec server (issue 14): converts as this API's client does, with the same codecs
  await app.register(codecRoutes, {
    prefix: '/codec',
    auth: deps.auth,
    codecs: client.options.loadedDataConverter.payloadCodecs,
    corsOrigins: config.codec.corsOrigins,
  });
  await app.register(storeRoutes, deps);
  if (extend) await extend(app, deps);
  await app.ready();
  return app;
}
