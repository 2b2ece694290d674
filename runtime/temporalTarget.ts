/**
 * Which Temporal server a tool outside the start command runs against (the fault suite, the
 * benchmark): the cluster named by TEMPORAL_ADDRESS, with TEMPORAL_NAMESPACE and the TLS / API key
 * settings the rest of the project reads (temporal.config.ts), or, when it is unset, a dev server
 * of the tool's own.
 */
export type TemporalTarget = { kind: 'cluster'; address: string; namespace: string } | { kind: 'devServer' };

export function temporalTarget(env: NodeJS.ProcessEnv): TemporalTarget {
  const address = env.TEMPORAL_ADDRESS?.trim();
  if (!address) return { kind: 'devServer' };
  return { kind: 'cluster', address, namespace: env.TEMPORAL_NAMESPACE?.trim() || 'default' };
}
