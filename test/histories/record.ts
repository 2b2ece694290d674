/**
 * Records the histories of representative journeys into test/histories/*.json, for the replay
 * test (test/workflows/replay.test.ts). Run it (`npm run record-histories`) only when a change to
 * the workflow or machine is meant to be incompatible and is shipped behind `patched()` or a
 * snapshot migration; see docs/safe-changes.md. The histories here are what running journeys
 * look like: a change that cannot replay them would break journeys in production.
 *
 * Payloads are encrypted (issue 14) under the checked-in test key (test/support/testPayloadKeys.ts),
 * as production's are under a council's, so the replay test decrypts them with that key.
 * `--out <folder>` records into another folder, `--only a,b` only those journeys; e.g.
 * `npm run record-histories -- --out test/histories/encrypted --only emergency`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bundleWorkflowCode } from '@temporalio/worker';
import { journeyBundleOptions } from '../../runtime/workflowBundle';
import { historyToFile } from './historyFile';
import type { JourneyEvent } from '../../machines/events';
import {
  ev,
  interimSupportStarted,
  pathToActivation,
  referral,
  review,
  reviewWith,
} from '../support/journeyEvents';
import { journeyKit } from '../support/journeyKit';
import { createTimeSkippingEnv } from '../support/temporal';
import { DAY, serverNow, skipTo } from '../support/timeTravel';
import { bundleEnv } from '../support/workflowBundle';
import { useTestPayloadKeys } from '../support/testPayloadKeys';

async function main(): Promise<void> {
  const { values: args } = parseArgs({ options: { out: { type: 'string' }, only: { type: 'string' } } });
  const outDir = path.resolve(args.out ?? __dirname);
  mkdirSync(outDir, { recursive: true });
  useTestPayloadKeys();
  // beside the project's other local data (git-ignored), wherever the histories go
  const bundlePath = path.resolve(__dirname, '..', '..', '.data', 'record-bundle.js');
  mkdirSync(path.dirname(bundlePath), { recursive: true });
  const { code } = await bundleWorkflowCode({
    ...journeyBundleOptions,
    logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} },
  });
  writeFileSync(bundlePath, code);
  process.env[bundleEnv.path] = bundlePath;

  const env = await createTimeSkippingEnv();
  const kit = await journeyKit(env);
  await kit.startWorker();
  const now = async () => serverNow(env);
  const daysAgo = async (n: number) => new Date(Date.parse(await now()) - n * DAY).toISOString();
  const journeys: Record<string, () => Promise<void>> = {
    // R-EMG-1: interim support, the 3-working-day clock passes, escalations, then assessment
    async emergency() {
      const at = await daysAgo(1);
      await kit.startJourney('h-emergency');
      await kit.sendAll('h-emergency', [
        referral(at),
        ev('TRIAGED', at, { route: 'emergencyInterimSupport', reason: 'carer in hospital' }),
        interimSupportStarted(at, ['emergency home care']),
      ]);
      await env.sleep(20 * DAY);
      await kit.send('h-emergency', ev('ASSESSMENT_STARTED', await now(), {}));
    },
    // Referral to activation, the informal and first reviews, a monitoring check, the annual review
    async reviews() {
      await kit.startJourney('h-reviews');
      const events = pathToActivation(await daysAgo(10));
      await kit.sendAll('h-reviews', events);
      await kit.send('h-reviews', ev('INFORMAL_REVIEW_COMPLETED', await now(), {}));
      await skipTo(env, Date.parse(events.at(-1)!.occurredAt) + 7 * 7 * DAY);
      // The first review sets the next at 6 months: the service is only weeks old (R-REV-5).
      await kit.send('h-reviews', review(await now()));
      await env.sleep(175 * DAY);
      // Now 12 months, with a monitoring check at 6 (R-REV-3, R-REV-4).
      await kit.send('h-reviews', review(await now()));
      await env.sleep(180 * DAY);
      await kit.send('h-reviews', ev('MONITORING_CHECK_COMPLETED', await now(), { concerns: false }));
      await env.sleep(170 * DAY);
      await kit.send('h-reviews', review(await now()));
    },
    // R-REV-12: a review calls for a reassessment; the review and reassessment clocks run until it
    // continues services with the next review. R-TIM-2: the emergency clock flagged overdue and
    // escalated, then the assessment entered back-dated inside the 3 days — managers told.
    async reassessment() {
      await kit.startJourney('h-reassessment');
      await kit.sendAll('h-reassessment', pathToActivation(await daysAgo(10)));
      await env.sleep(40 * DAY);
      await kit.send('h-reassessment', review(await now(), 'reassessment'));
      await env.sleep(30 * DAY);
      await kit.send(
        'h-reassessment',
        ev('REASSESSMENT_COMPLETED', await now(), {
          outcome: 'continue',
          reasons: 'needs unchanged after the fall',
          unmetEligibleNeeds: [],
          informalSupport: 'some',
          thirdPartySources: ['GP letter'],
        }),
      );
      await env.sleep(10 * DAY);
    },
    async backdated() {
      const at = await daysAgo(1);
      await kit.startJourney('h-backdated');
      await kit.sendAll('h-backdated', [
        referral(at),
        ev('TRIAGED', at, { route: 'emergencyInterimSupport', reason: 'carer in hospital' }),
        interimSupportStarted(at, ['emergency home care']),
      ]);
      await env.sleep(12 * DAY);
      // It really began the next day; recorded late, after the clock was flagged overdue.
      const nextDay = new Date(Date.parse(at) + DAY).toISOString();
      await kit.send('h-backdated', ev('ASSESSMENT_STARTED', nextDay, {}));
      await env.sleep(DAY);
    },
    // R-END-1: services end after a reassessment, on the letter's end date
    async ending() {
      await kit.startJourney('h-ending');
      await kit.sendAll('h-ending', pathToActivation(await daysAgo(10)));
      const at = await now();
      const events: JourneyEvent[] = [
        review(at, 'servicesToEnd'),
        ev('REASSESSMENT_COMPLETED', at, {
          outcome: 'endServices',
          reasons: 'needs met by the community group',
          unmetEligibleNeeds: [],
          informalSupport: 'substantial',
          thirdPartySources: ['community group coordinator'],
        }),
        ev('REASSESSMENT_COPY_PROVIDED', at, { to: ['person'] }),
        ev('SERVICE_END_LETTER_POSTED', at, {
          postedOn: at.slice(0, 10),
          reasons: 'no unmet eligible needs',
          alternativesDiscussed: 'befriending',
        }),
      ];
      await kit.sendAll('h-ending', events);
      await kit.handle('h-ending').result();
    },
    // Concerns alongside the journey: a complaint about the budget, safeguarding, a hospital stay
    async concerns() {
      await kit.startJourney('h-concerns');
      await kit.sendAll('h-concerns', pathToActivation(await daysAgo(10)));
      const at = await now();
      await kit.sendAll('h-concerns', [
        ev('COMPLAINT_RAISED', at, { complaintId: 'c1', about: 'budget', details: 'too low' }),
        ev('BUDGET_COMPLAINT_INTERIM_CHOICE', at, { complaintId: 'c1', choice: 'manageOnOfferedBudget' }),
        ev('SAFEGUARDING_CONCERN_RAISED', at, {
          concernId: 's1',
          details: 'bruising',
          triggersUnscheduledReview: true,
        }),
        ev('HOSPITAL_ADMITTED', at, { admittedOn: at.slice(0, 10), hospital: 'Royal Derby' }),
      ]);
      await env.sleep(5 * DAY);
      const later = await now();
      await kit.sendAll('h-concerns', [
        ev('HOSPITAL_DISCHARGED', later, {
          dischargedOn: later.slice(0, 10),
          dischargeProtocolFollowed: true,
          needsChanged: true,
        }),
        ev('COMPLAINT_RESOLVED', later, { complaintId: 'c1', outcome: 'upheld in part' }),
        ev('SAFEGUARDING_CLOSED', later, { concernId: 's1', outcome: 'no further action' }),
        ev('PERSON_DIED', later, { dateOfDeath: later.slice(0, 10) }),
      ]);
      await kit.handle('h-concerns').result();
    },
    // Rules edition 5 (every road holds): an appeal and temporary support alongside live services;
    // a concern in the notice period holds the end date until the review held on it decides (R-REV-6)
    async everyRoad() {
      await kit.startJourney('h-everyRoad');
      await kit.sendAll('h-everyRoad', pathToActivation(await daysAgo(10)));
      const at = await now();
      await kit.sendAll('h-everyRoad', [
        ev('APPEAL_RAISED', at, {
          appealId: 'a1',
          about: 'personalBudget',
          grounds: 'evening visits not costed',
        }),
        ev('TEMPORARY_SUPPORT_ARRANGED', at, {
          supportId: 't1',
          reason: 'her personal assistant is ill',
          services: ['agency care'],
        }),
        review(at, 'servicesToEnd'),
        ev('REASSESSMENT_COMPLETED', at, {
          outcome: 'endServices',
          reasons: 'needs met by the community group',
          unmetEligibleNeeds: [],
          informalSupport: 'substantial',
          thirdPartySources: ['community group coordinator'],
        }),
        ev('REASSESSMENT_COPY_PROVIDED', at, { to: ['person'] }),
        ev('SERVICE_END_LETTER_POSTED', at, {
          postedOn: at.slice(0, 10),
          reasons: 'no unmet eligible needs',
          alternativesDiscussed: 'befriending',
        }),
        ev('SAFEGUARDING_CONCERN_RAISED', at, {
          concernId: 's1',
          details: 'the group has closed for the winter',
          triggersUnscheduledReview: true,
        }),
        ev('APPEAL_DECIDED', at, { appealId: 'a1', outcome: 'notUpheld', reasons: 'costed as agreed' }),
        ev('TEMPORARY_SUPPORT_ENDED', at, { supportId: 't1' }),
      ]);
      // The end date passes with the review undecided: the services go on.
      await env.sleep(20 * DAY);
      const later = await now();
      await kit.send(
        'h-everyRoad',
        reviewWith(later, { outcome: 'noChange', shortNoticeReason: 'the concern could not wait' }),
      );
      await env.sleep(DAY);
    },
  };
  try {
    const only = args.only?.split(',').map((n) => n.trim());
    const unknown = only?.filter((n) => !(n in journeys));
    if (unknown?.length)
      throw new Error(`--only: no journey ${unknown.join(', ')} (${Object.keys(journeys).join(', ')})`);
    for (const [name, drive] of Object.entries(journeys).filter(([n]) => !only || only.includes(n))) {
      await drive();
      const handle = kit.handle(`h-${name}`);
      const first = (await handle.describe()).runId;
      // the latest run of each (the longer journeys may have continued as new)
      const history = await env.client.workflow.getHandle(handle.workflowId, first).fetchHistory();
      writeFileSync(path.join(outDir, `${name}.json`), historyToFile(history));
      console.log(`recorded ${name}: ${history.events?.length} events`);
    }
  } finally {
    await kit.teardown();
    await env.teardown();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
