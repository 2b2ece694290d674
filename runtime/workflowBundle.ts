import type { BundleOptions } from '@temporalio/worker';
import { failureConverterPath } from './dataConverter';

/**
 * How the journey workflow is bundled, everywhere it is (the worker that bundles for itself, the
 * tests' one bundle a run, the recorded histories, the faults run, the bench): one definition, so
 * what is tested is what runs.
 */

/** The journey workflows' module. */
export const journeyWorkflowsPath = require.resolve('../workflows');

/**
 * The modules every journey a worker holds shares (the SDK's `preloadModules`; issue 16): the
 * machine, its rules, deadlines, calendar, next steps and policy profiles, and with them xstate and
 * date-fns. Without this each cached journey instantiates its own copy of every module, about
 * 1 MB of them (bench/README.md). The SDK freezes what it preloads, so no journey can write to
 * another's modules; what is left unfrozen (module-level caches) must hold nothing of a journey:
 * test/workflows/sharedModules.test.ts checks both, and that nothing below imports zod.
 *
 * Not shared: zod and the event catalogue's schemas (machines/events.ts), which the workflow's
 * Update validator needs. zod completes its schemas lazily, on objects the SDK would freeze, so it
 * cannot be shared; the modules named here import only the catalogue's names
 * (machines/eventTypes.ts) and the profiles' values (machines/policyProfile.ts), never their schemas.
 */
export const sharedJourneyModules: readonly string[] = [
  'journeyMachine',
  'acceptance',
  'describeJourney',
  'deadlines',
  'nextStep',
  'stuckLimits',
  'stages',
  'rules',
  'policyProfile',
  'eventTypes',
  'calendar/index',
  'calendar/pinning',
].map((name) => require.resolve(`../machines/${name}`));

/**
 * xstate's production build: the bundler works in webpack's development mode, which picks the
 * development build from xstate's package exports, with checks that cost the workflow thread about
 * 10 ms a journey (bench/README.md) and change nothing the journey does. Node's own resolution of
 * `xstate` (the API, the CLI, jest) is already the production build.
 */
const xstateProductionBuild = require.resolve('xstate');

const webpackConfigHook: NonNullable<BundleOptions['webpackConfigHook']> = (config) => ({
  ...config,
  resolve: {
    ...config.resolve,
    alias: { ...(config.resolve?.alias as Record<string, string | false>), xstate$: xstateProductionBuild },
  },
});

/** For `Worker.create({ bundlerOptions })`, when the worker bundles workflows/ itself. */
export const journeyBundlerOptions = {
  preloadModules: [...sharedJourneyModules],
  webpackConfigHook,
};

/**
 * For `bundleWorkflowCode`: the above, and the failure converter in the sandbox (issue 14: failures'
 * messages encoded too; runtime/dataConverter.ts).
 */
export const journeyBundleOptions = {
  workflowsPath: journeyWorkflowsPath,
  failureConverterPath,
  ...journeyBundlerOptions,
} satisfies Partial<BundleOptions>;
