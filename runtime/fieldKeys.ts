import { FieldSealer } from '../store/fieldCrypto';
import type { CareConfig } from '../temporal.config';
import { developmentPayloadKeys } from './dataConverter';

/**
 * The case-event store's field encryption (store/fieldCrypto.ts) on the council's payload keys:
 * CARE_PAYLOAD_KEYS and CARE_PAYLOAD_KEY_CURRENT, the very keys and ids the payload codec uses, so
 * one rotation covers both (add the key, make it current, restart; then reseal the person records
 * and keep the old key listed until nothing is sealed under it). Without configured keys, the
 * development key in the data folder, only where the payload codec would use it too.
 */
export function fieldSealerFor(config: Pick<CareConfig, 'payloadKeys' | 'temporal'>): FieldSealer {
  const keys = config.payloadKeys;
  if (keys.source === 'configured') return new FieldSealer(keys.keys, keys.currentKeyId);
  if (config.temporal.address)
    throw new Error(
      `CARE_PAYLOAD_KEYS is not set, but TEMPORAL_ADDRESS names a cluster (${config.temporal.address}): ` +
        'set the council’s payload keys (CARE_PAYLOAD_KEYS, CARE_PAYLOAD_KEY_CURRENT) on every worker and API process; ' +
        'they encrypt the person records in the case-event store too',
    );
  const dev = developmentPayloadKeys(keys.developmentKeyFile);
  return new FieldSealer(dev.keys, dev.current);
}
