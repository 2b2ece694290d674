import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { outboxLetters, type LetterService } from '../activities/letters';
import { Outbox } from '../activities/outbox';
import type { SendLetter } from '../machines/effects';
import { TechnicalIssue } from '../workflows/searchAttributes';
import { eventually } from '../test/support/eventually';
import { pathToActivation } from '../test/support/journeyEvents';
import { journeyKit } from '../test/support/journeyKit';
import { MINUTE, serverNow, skipTo } from '../test/support/timeTravel';

/**
 * Fault 3, on the time-skipping server: the letters port (activities/letters.ts LetterService) is
 * down for the first hour of server time after the journey first asks it for a letter. The
 * journey's activity is retried, then the journey shows as technically stuck (its TechnicalIssue
 * search attribute, and the API's health view), then the port comes back, the letter goes out once,
 * the journey is healthy again and carries on to services, and no letter is sent twice.
 * The caller's worker must run the journey workflow bundle (test/support/workflowBundle.ts).
 */

export interface PortDownResult {
  /** attempts the port refused while it was down */
  failedAttempts: number;
  /** what the journey showed while the port was down (TechnicalIssue) */
  technicalIssueShown: string | undefined;
  /** the TechnicalIssue after recovery (undefined: healthy) */
  technicalIssueAfter: string | undefined;
  /** the plan copy went out once the port was back, and the journey reached live support */
  recovered: boolean;
  stage: string;
  /** plan copies in the outbox */
  lettersSent: number;
  /** plan copies delivered more than once (same id, or a second plan copy) */
  duplicates: number;
  /** server minutes from the first refusal to the delivery */
  downMinutes: number;
}

export async function runPortDown(env: TestWorkflowEnvironment): Promise<PortDownResult> {
  const kit = await journeyKit(env);
  const outbox = outboxLetters(new Outbox(kit.outboxDir));
  let downUntil: number | undefined;
  let failedAttempts = 0;
  let firstFailureAt: number | undefined;
  let deliveredAt: number | undefined;
  const delivered: SendLetter[] = [];
  const letters: LetterService = {
    async sendLetter(letter) {
      // The letters before it (edition 4: the eligibility decision, the indicative budget) go out
      // as usual; the port goes down when the plan copy is asked for.
      if (letter.letter !== 'planCopy') return outbox.sendLetter(letter);
      const now = await env.currentTimeMs();
      downUntil ??= now + 60 * MINUTE;
      if (now < downUntil) {
        failedAttempts++;
        firstFailureAt ??= now;
        throw new Error('print-and-post service unavailable');
      }
      await outbox.sendLetter(letter);
      deliveredAt ??= now;
      delivered.push(letter);
    },
  };
  await kit.startWorker({ letters });
  const personId = 'port-down';
  try {
    await kit.startJourney(personId);
    const road = pathToActivation(await serverNow(env));
    const signOff = road.findIndex((e) => e.type === 'PLAN_SIGNED_OFF');
    // the sign-off sends the plan copy (R-SGN-3): the first letter, into a port that is down
    await kit.sendOnTime(personId, road.slice(0, signOff + 1));
    const technicalIssue = async () =>
      (await kit.handle(personId).describe()).typedSearchAttributes.get(TechnicalIssue);

    // the activity's retries (seconds apart) are used up: the journey says what keeps failing
    await skipTo(env, Date.parse(await serverNow(env)) + 5 * MINUTE);
    const technicalIssueShown = await eventually(async () => {
      const issue = await technicalIssue();
      if (!issue) throw new Error('the journey does not show the failing letter');
      return issue;
    });
    const sentWhileDown = delivered.length;

    // an hour and a bit later the port is back and the journey's own retry delivers
    await skipTo(env, Date.parse(await serverNow(env)) + 70 * MINUTE);
    await eventually(() => {
      if (delivered.length === 0) throw new Error('the letter was not sent after the port came back');
    });
    const technicalIssueAfter = await eventually(async () => {
      const issue = await technicalIssue();
      if (issue) throw new Error(`still shows ${issue}`);
      return issue;
    });
    // the journey carries on: services start
    await kit.sendOnTime(personId, road.slice(signOff + 1));
    const view = await kit.view(personId);
    // a second delivery would be a retry landing again, or another letter of the same kind
    await skipTo(env, Date.parse(await serverNow(env)) + 2 * 60 * MINUTE);
    const files = kit.outbox('letters').filter((f) => f.name.includes('planCopy'));
    const kinds = delivered.map((l) => l.letter);
    const duplicates =
      delivered.length -
      new Set(delivered.map((l) => l.letterId)).size +
      (kinds.length - new Set(kinds).size);
    return {
      failedAttempts,
      technicalIssueShown,
      technicalIssueAfter,
      recovered: sentWhileDown === 0 && delivered.length >= 1 && view.stage === 'liveSupport',
      stage: view.stage,
      lettersSent: files.length,
      duplicates: duplicates + Math.max(0, delivered.length - files.length),
      downMinutes: Math.round(((deliveredAt ?? 0) - (firstFailureAt ?? 0)) / MINUTE),
    };
  } finally {
    await kit
      .handle(personId)
      .terminate('fault suite done')
      .catch(() => undefined);
    await kit.teardown();
  }
}
