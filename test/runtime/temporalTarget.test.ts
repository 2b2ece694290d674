import { temporalTarget } from '../../runtime/temporalTarget';

/** The fault suite and the benchmark: a cluster when TEMPORAL_ADDRESS names one, else their own dev server. */

describe('which Temporal server faults/ and bench/ run against', () => {
  it('a dev server of their own when TEMPORAL_ADDRESS is unset or blank', () => {
    expect(temporalTarget({})).toEqual({ kind: 'devServer' });
    expect(temporalTarget({ TEMPORAL_ADDRESS: '  ', TEMPORAL_NAMESPACE: 'care' })).toEqual({
      kind: 'devServer',
    });
  });

  it('the cluster TEMPORAL_ADDRESS names, in TEMPORAL_NAMESPACE (default "default")', () => {
    expect(temporalTarget({ TEMPORAL_ADDRESS: 'temporal.council.internal:7233' })).toEqual({
      kind: 'cluster',
      address: 'temporal.council.internal:7233',
      namespace: 'default',
    });
    expect(
      temporalTarget({
        TEMPORAL_ADDRESS: 'care.a1b2c.tmprl.cloud:7233',
        TEMPORAL_NAMESPACE: 'care.a1b2c',
        TEMPORAL_API_KEY: 'k',
      }),
    ).toEqual({ kind: 'cluster', address: 'care.a1b2c.tmprl.cloud:7233', namespace: 'care.a1b2c' });
  });
});
