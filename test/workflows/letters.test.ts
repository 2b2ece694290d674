/**
 * On the time-skipping server (issue 11 point 5): a journey on the ordinary road sends the
 * eligibility decision letter (R-ASM-5) and the indicative budget letter (R-IB-3) once each, as
 * HTML and PDF addressed with the name and address its referral gave, besides the plain-text copy.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { LETTER_DOCUMENTS } from '../../activities/letters';
import { outboxName } from '../../activities/outbox';
import { eventually } from '../support/eventually';
import { pathToActivation, referral } from '../support/journeyEvents';
import { journeyKit, type JourneyKit } from '../support/journeyKit';
import { readPdf } from '../support/pdfText';
import { createTimeSkippingEnv } from '../support/temporal';
import { serverNow } from '../support/timeTravel';

let env: TestWorkflowEnvironment;
let kit: JourneyKit;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
  kit = await journeyKit(env);
  await kit.startWorker();
});
afterAll(async () => {
  await kit?.teardown();
  await env?.teardown();
});

it('R-ASM-5 and R-IB-3: the journey sends the eligibility decision and the indicative budget in writing, once each, to the person by name', async () => {
  const personId = 'letters-road';
  const road = pathToActivation(await serverNow(env)).map((e) =>
    e.type === 'REFERRAL_RECEIVED'
      ? referral(e.occurredAt, e.referralId, {
          name: 'Mr Tom Hardy',
          address: ['12 Station Road', 'Belper'],
          postcode: 'DE56 1AB',
        })
      : e,
  );
  await kit.startJourney(personId);
  await kit.sendOnTime(personId, road.slice(0, road.findIndex((e) => e.type === 'PLANNING_STARTED') + 1));
  const sent = (kind: string) =>
    kit
      .outbox('letters')
      .filter(
        (l) => l.text.startsWith(`Id: "${personId}:`) && l.text.split('\n', 1)[0]!.endsWith(`:${kind}"`),
      );
  await eventually(() => {
    expect(sent('decisionLetter')).toHaveLength(1);
    expect(sent('indicativeBudgetLetter')).toHaveLength(1);
  });
  const documents = readdirSync(path.join(kit.outboxDir, LETTER_DOCUMENTS));
  for (const kind of ['decisionLetter', 'indicativeBudgetLetter']) {
    const id = JSON.parse(sent(kind)[0]!.text.split('\n', 1)[0]!.replace(/^Id: /, '')) as string;
    const pdfName = `${outboxName(`${id}:standard`)}.pdf`;
    expect(documents.filter((d) => d === pdfName)).toHaveLength(1);
    const pdf = readPdf(path.join(kit.outboxDir, LETTER_DOCUMENTS, pdfName));
    expect(pdf.text).toContain('Dear Mr Tom Hardy');
    expect(pdf.text).toContain('12 Station Road');
    expect(pdf.text).toContain('DE56 1AB');
    expect(pdf.text).toContain('Derbyshire adult social care');
    if (kind === 'indicativeBudgetLetter') expect(pdf.text).toContain('£9,360.00 a year');
    else expect(pdf.text).toContain('You have eligible needs');
  }
});
