import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { lancashire } from '../../machines/policyProfile';
import { newJourneyInput, journeyWorkflowId } from '../../workflows/definitions';
import { sharedJourneyModules } from '../../runtime/workflowBundle';
import { ev, pathToActivation, referral } from '../support/journeyEvents';
import { journeyKit, type JourneyKit } from '../support/journeyKit';
import { createTimeSkippingEnv } from '../support/temporal';
import { DAY, serverNow } from '../support/timeTravel';
import { bundleInContext } from '../support/bundleInContext';
import { workflowBundle } from '../support/workflowBundle';

/**
 * Issue 16: the machine's modules are preloaded into the worker's V8 context and shared by every
 * journey it holds (runtime/workflowBundle.ts). These check that the bundle the worker runs shares
 * what it should and nothing else, that what the shared modules keep is no journey's, and that a
 * journey is judged the same on a worker that has held others as on a fresh one.
 */

const root = path.resolve(__dirname, '..', '..');

/** Loads the bundle the tests' workers run as the SDK's reusable context does, and says which modules each journey shares. */
function bundleModules(): { shared: string[]; perJourney: string[] } {
  const shared = new Map<string, unknown>();
  const journey: { modules?: Map<string, unknown> } = {};
  // the SDK's module cache: a module loaded before any workflow exists is shared, later ones are the workflow's own
  const cache = new Proxy(
    {},
    {
      get: (_, id: string) => shared.get(id) ?? journey.modules?.get(id),
      set: (_, id: string, value) => {
        (journey.modules ?? shared).set(id, value);
        return true;
      },
    },
  );
  const temporal = bundleInContext(workflowBundle().codePath, cache);
  temporal.preloadModules?.();
  journey.modules = new Map();
  temporal.importWorkflows();
  return { shared: [...shared.keys()], perJourney: [...journey.modules.keys()] };
}

const isZod = (id: string) => id.includes('/node_modules/zod/');
const machineModule = (id: string) => id.startsWith('./machines/');

describe('the modules every journey in a worker shares (issue 16)', () => {
  const { shared, perJourney } = bundleModules();

  it('shares the machine, xstate (its production build) and date-fns, and not zod, the schemas or the workflow', () => {
    expect(shared.filter(isZod)).toEqual([]);
    expect(shared.filter((id) => id.startsWith('./workflows/'))).toEqual([]);
    expect(shared).not.toContain('./machines/events.ts');
    // every module of the machine the journey uses, but the three that need zod, is shared
    expect(perJourney.filter(machineModule).sort()).toEqual(
      ['./machines/checkEvent.ts', './machines/events.ts', './machines/index.ts'].sort(),
    );
    for (const name of sharedJourneyModules) {
      expect(shared).toContain(`./${path.relative(root, name)}`);
    }
    const xstate = shared.filter((id) => id.includes('/node_modules/xstate/'));
    expect(xstate).toContain('./node_modules/xstate/dist/xstate.cjs.js');
    expect(xstate.filter((id) => id.includes('development'))).toEqual([]);
    expect(shared.some((id) => id.includes('/node_modules/date-fns/'))).toBe(true);
    // the Update validator has zod of its own in every journey
    expect(perJourney.some(isZod)).toBe(true);
  });

  it('keeps nothing of a journey at module level: only memos of pure functions, which the SDK cannot freeze', () => {
    // The SDK freezes every object a shared module exports, so a journey that wrote to one would
    // fail. A module-level `let`, Map or Set is not reachable to freeze: each one here must be a
    // memo of a pure function (the same answer for the same key whichever journey asks first).
    const pureMemos = [
      'machines/deadlines.ts: calendars', // a journey's calendar, keyed by its pinned holiday list
      'machines/calendar/workingDays.ts: offsetByUtcHour', // London's offset, by UTC hour (bounded)
      'machines/calendar/workingDays.ts: holidaySets', // a holiday list's Set, keyed by the list
    ];
    const found: string[] = [];
    for (const id of shared.filter(machineModule)) {
      const file = id.slice(2);
      const source = readFileSync(path.join(root, file), 'utf8');
      for (const line of source.split('\n')) {
        const mutable =
          /^(?:export )?(?:let|var) (\w+)/.exec(line) ??
          /^(?:export )?const (\w+)(?::[^=]+)? = new (?:Map|Set|WeakMap|WeakSet|Array)\b/.exec(line) ??
          /^(?:export )?const (\w+)(?::[^=]+)? = \[\];/.exec(line) ??
          /^(?:export )?const (\w+)(?::[^=]+)? = \{\};/.exec(line);
        if (mutable) found.push(`${file}: ${mutable[1]}`);
      }
    }
    expect(found.sort()).toEqual(pureMemos.sort());
  });
});

describe('a journey on a worker that has held others (issue 16)', () => {
  let env: TestWorkflowEnvironment;
  let fresh: JourneyKit;
  let busy: JourneyKit;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    fresh = await journeyKit(env);
    busy = await journeyKit(env);
    await fresh.startWorker();
    await busy.startWorker();
  });
  afterAll(async () => {
    await fresh?.teardown();
    await busy?.teardown();
    await env?.teardown();
  });

  /** Everything the journey says about itself, its own id left out. */
  const said = async (kit: JourneyKit, personId: string) =>
    JSON.stringify(await kit.view(personId)).replaceAll(personId, '<person>');

  it('is judged as on a fresh worker, with other journeys on other profiles in between', async () => {
    const start = new Date(Date.parse(await serverNow(env)) - 20 * DAY).toISOString();
    const road = pathToActivation(start);

    // Others on the busy worker first, on another profile and calendar, and one between each event.
    let others = 0;
    const another = async () => {
      const personId = `shared-other-${++others}`;
      await env.client.workflow.start('journeyWorkflow', {
        workflowId: journeyWorkflowId(personId),
        taskQueue: busy.config.temporal.taskQueue,
        args: [
          newJourneyInput(personId, 'carer', {
            policyProfile: lancashire,
            extraBankHolidays: ['2026-06-15'],
          }),
        ],
      });
      const at = new Date(Date.parse(start) - (others % 5) * DAY).toISOString();
      await busy.sendAll(personId, [
        referral(at, `ref-other-${others}`, { subject: 'carer', urgency: 'urgent' }),
        ev('WORKER_ALLOCATED', at, { team: `team-${others}`, workerId: `worker-${others}` }),
      ]);
    };
    for (let i = 0; i < 3; i++) await another();

    // The same events to both, in step, so both are asked at the same moment of the server's clock.
    await fresh.startJourney('shared-alone');
    await busy.startJourney('shared-among');
    const alone: string[] = [];
    const among: string[] = [];
    for (const event of road) {
      await another();
      await fresh.sendAll('shared-alone', [event]);
      await busy.sendAll('shared-among', [event]);
      alone.push(await said(fresh, 'shared-alone'));
      among.push(await said(busy, 'shared-among'));
    }
    expect(among).toEqual(alone);
    expect(alone.at(-1)).toContain('"liveSupport"');
  });
});
