import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createActivities } from '../../activities';
import { Outbox, OutboxConflictError } from '../../activities/outbox';
import { outboxPaymentArrangements, type PaymentArrangements } from '../../activities/paymentArrangements';
import type { InstructPayments } from '../../machines/effects';

/**
 * The default payment arrangements (R-END-5): one readable file per instruction in the outbox's
 * payments/ folder, keyed by the instruction's requestId, so a retried activity delivers it once.
 */

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'care-journeys-payments-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const payments = () =>
  readdirSync(path.join(root, 'payments')).map((name) =>
    readFileSync(path.join(root, 'payments', name), 'utf8'),
  );

const surplus: InstructPayments = {
  type: 'instructPayments',
  requestId: 'P-100:e-9:recoverSurplusPayments',
  personId: 'P-100',
  instruction: 'recoverSurplus',
  reason: 'surplus',
  ruleId: 'R-END-3',
  effectiveOn: '2027-03-01',
  amount: 412.5,
};

it('writes an instruction a person in finance can read, once however often it is delivered', async () => {
  const port = outboxPaymentArrangements(new Outbox(root));
  await port.instructPayments(surplus);
  await port.instructPayments({ ...surplus });
  const [text, ...others] = payments();
  expect(others).toEqual([]);
  expect(text).toContain('Recover the direct-payment surplus');
  expect(text).toContain('About: P-100');
  expect(text).toContain('Effective on: 2027-03-01');
  expect(text).toContain('Amount: £412.50');
  expect(text).toContain('Rule: R-END-3');
});

it('refuses a different instruction under a requestId already used', async () => {
  const port = outboxPaymentArrangements(new Outbox(root));
  await port.instructPayments(surplus);
  await expect(port.instructPayments({ ...surplus, amount: 1 })).rejects.toThrow(OutboxConflictError);
  expect(payments()).toHaveLength(1);
});

it('is the default port of the activities, and a council can replace it', async () => {
  await createActivities({ outboxDir: root }).instructPayments(surplus);
  expect(payments()).toHaveLength(1);
  const told: InstructPayments[] = [];
  const finance: PaymentArrangements = { instructPayments: async (i) => void told.push(i) };
  await createActivities({ outboxDir: root, payments: finance }).instructPayments({
    ...surplus,
    requestId: 'P-100:e-10:stopPayments',
    instruction: 'stop',
  });
  expect(told.map((i) => i.instruction)).toEqual(['stop']);
  expect(payments()).toHaveLength(1);
});
