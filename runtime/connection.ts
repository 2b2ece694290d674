import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { temporalAddress, type CareConfig } from '../temporal.config';
import { careDataConverter } from './dataConverter';

/**
 * The one way this project dials Temporal: the embedded dev server (no TEMPORAL_ADDRESS) or a
 * cluster / Temporal Cloud with TLS, mTLS (TEMPORAL_TLS_CERT_PATH + _KEY_PATH) or an API key.
 */

export interface TemporalConnectionOptions {
  address: string;
  tls: TLSConfig | undefined;
  apiKey: string | undefined;
}

export function temporalConnectionOptions(config: CareConfig): TemporalConnectionOptions {
  const tls = config.temporal.tls;
  return {
    address: temporalAddress(config),
    tls: tls
      ? {
          ...(tls.serverNameOverride ? { serverNameOverride: tls.serverNameOverride } : {}),
          ...(tls.serverRootCACertificate ? { serverRootCACertificate: tls.serverRootCACertificate } : {}),
          ...(tls.clientCertPair ? { clientCertPair: tls.clientCertPair } : {}),
        }
      : undefined,
    apiKey: config.temporal.apiKey,
  };
}

/**
 * A client for the configured namespace, and the connection under it (close it when done). Its
 * payloads are encrypted with the configured keys (issue 14; runtime/dataConverter.ts).
 */
export async function connectClient(config: CareConfig): Promise<{ client: Client; connection: Connection }> {
  const { address, tls, apiKey } = temporalConnectionOptions(config);
  const connection = await Connection.connect({ address, tls, ...(apiKey ? { apiKey } : {}) });
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: careDataConverter(config),
  });
  return { client, connection };
}

/** The worker's connection (close it after the worker has stopped). */
export async function connectWorkerConnection(config: CareConfig): Promise<NativeConnection> {
  const { address, tls, apiKey } = temporalConnectionOptions(config);
  return NativeConnection.connect({ address, tls, ...(apiKey ? { apiKey } : {}) });
}
