import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { outboxCaseRecord, type CaseRecordEntry } from '../../activities/caseRecord';
import { outboxLetters } from '../../activities/letters';
import { outboxNotifier, type DeadlineNotice } from '../../activities/notifications';
import { Outbox } from '../../activities/outbox';
import type { SendLetter } from '../../machines/effects';

/**
 * The outbox, through every port that writes to it: an id is an exact idempotency key. Ids that
 * look alike (or share a long prefix) are different items; the same item twice is written once; a
 * different item under a used id is an error and the first stays as it was.
 */

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'care-journeys-outbox-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Every item file under a folder of the outbox (case-record holds one folder per person). */
function items(folder: string): { file: string; text: string }[] {
  const found: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else found.push({ file: path.relative(root, file), text: readFileSync(file, 'utf8') });
    }
  };
  walk(path.join(root, folder));
  return found;
}

/** One port, seen the same way: write an item for an id (with a marker that tells items apart). */
interface Port {
  name: string;
  folder: string;
  /** writes the item for `id`; `version` changes its content */
  write(outbox: Outbox, id: string, version?: string): Promise<void>;
}

const person = 'P-100';
const deadline = (description: string): DeadlineNotice['deadline'] => ({
  id: 'd-1',
  kind: 'firstReview',
  ruleId: 'R-REV-1',
  description,
  dueAt: '2027-01-01T00:00:00.000Z',
  overdueAt: '2027-01-08T00:00:00.000Z',
  startedFrom: '2026-11-16T10:00:00.000Z',
  effect: 'obligation',
  status: 'due',
});
const notice = (id: string, version: string): DeadlineNotice => ({
  notificationId: id,
  personId: person,
  deadline: deadline(`review for item ${id} (${version})`),
  to: 'worker-1',
  team: 'north',
  escalation: 1,
});
const letter = (id: string, version: string, personId = person): SendLetter => ({
  type: 'sendLetter',
  letterId: id,
  letter: 'decisionLetter',
  personId,
  recipients: ['the person'],
  ruleId: 'R-ASM-5',
  data: { item: id, version },
});
const record = (id: string, version: string, personId = person): CaseRecordEntry => ({
  recordId: id,
  personId,
  kind: 'event',
  entry: { item: id, version },
});

const ports: Port[] = [
  {
    name: 'letters',
    folder: 'letters',
    write: (outbox, id, version = 'v1') => outboxLetters(outbox).sendLetter(letter(id, version)),
  },
  {
    name: 'practitioner notification',
    folder: 'notifications',
    write: (outbox, id, version = 'v1') => outboxNotifier(outbox).notifyPractitioner(notice(id, version)),
  },
  {
    name: 'manager escalation',
    folder: 'escalations',
    write: (outbox, id, version = 'v1') => outboxNotifier(outbox).escalateToManager(notice(id, version)),
  },
  {
    // Two entries per id: the id as a record id of one person, and as a person id (the folder of
    // that person's case record, which must be exact too) with the same record id for each person.
    name: 'case record',
    folder: 'case-record',
    async write(outbox, id, version = 'v1') {
      const caseRecord = outboxCaseRecord(outbox);
      await caseRecord.recordCaseEvent(record(id, version));
      await caseRecord.recordCaseEvent({ ...record('e-1', version, id), entry: { person: id, version } });
    },
  },
];

/** How an item's id shows in the port's text (a letter's data, a notice's description, the record's JSON). */
const markers = (port: Port, id: string) =>
  port.folder === 'letters'
    ? [`Item: ${id}\n`]
    : port.folder === 'case-record'
      ? [`"item": ${JSON.stringify(id)}`, `"person": ${JSON.stringify(id)}`]
      : [`review for item ${id} (`];

const long = (length: number, last: string) => `${'P'.repeat(length - 1)}${last}`;
/** An id the journey makes for a person (`<person>:<event id>`), with an event id that starts with the person id. */
const ofPerson = (personId: string, event: string) => `${personId}:${personId}-${event}`;

const alike: [string, string[]][] = [
  ['PX:r and PX_r', ['PX:r', 'PX_r']],
  ['cr:1, cr_1 and cr/1', ['cr:1', 'cr_1', 'cr/1']],
  [
    'ids of a 100-character person differing only at the end',
    [ofPerson(long(100, '1'), 'e1'), ofPerson(long(100, '1'), 'e2')],
  ],
  ['300-character ids differing only at the end', [long(300, '1'), long(300, '2')]],
];

describe.each(ports)('the outbox through the $name port', (port) => {
  it.each(alike)('%s are different items, each with its own file', async (_, ids) => {
    const outbox = new Outbox(root);
    for (const id of ids) await port.write(outbox, id);
    const written = items(port.folder);
    const expected = ids.flatMap((id) => markers(port, id));
    expect(written).toHaveLength(expected.length);
    // each item is in exactly one file
    for (const marker of expected)
      expect(written.filter((item) => item.text.includes(marker))).toHaveLength(1);
  });

  it('the same item twice (a retried activity) is written once, and its file carries the whole id', async () => {
    const outbox = new Outbox(root);
    const id = `${long(300, 'x')}:cr/1`;
    await port.write(outbox, id);
    const first = items(port.folder);
    await expect(port.write(outbox, id)).resolves.toBeUndefined();
    expect(items(port.folder)).toEqual(first);
    const expected = markers(port, id);
    expect(first).toHaveLength(expected.length);
    for (const marker of expected) {
      const [own] = first.filter((item) => item.text.includes(marker));
      // the first line names the item by its whole id, so a person can tell what the file is
      const key = marker.startsWith('"person"') ? 'e-1' : id;
      expect(own?.text.split('\n')[0]).toBe(`Id: ${JSON.stringify(key)}`);
    }
  });

  it('a different item under a used id is an error, and the first item stays as it was', async () => {
    const outbox = new Outbox(root);
    await port.write(outbox, 'PX:r', 'first');
    const before = items(port.folder);
    await expect(port.write(outbox, 'PX:r', 'second')).rejects.toThrow(/different item/);
    expect(items(port.folder)).toEqual(before);
    expect(before.length).toBeGreaterThan(0);
    for (const item of before) {
      expect(item.text).toContain('first');
      expect(item.text).not.toContain('second');
    }
  });
});

it('a 100-character person id gets every letter: the fuller-assessment notice and the decision letter', async () => {
  // letter ids are `<person>:<event id>:<letter>`; these event ids (as a client may choose) start with the person id
  const personId = long(100, '7');
  const letters = outboxLetters(new Outbox(root));
  await letters.sendLetter({
    ...letter(`${personId}:${personId}-e2:fullerAssessmentNotice`, 'v1', personId),
    letter: 'fullerAssessmentNotice',
    ruleId: 'R-EMG-1',
  });
  await letters.sendLetter(letter(`${personId}:${personId}-e9:decisionLetter`, 'v1', personId));
  const written = items('letters');
  expect(written).toHaveLength(2);
  expect(
    written.some((item) => item.text.startsWith(`Id: "${personId}:${personId}-e9:decisionLetter"\n`)),
  ).toBe(true);
});

it('a person id with path characters keeps its case record inside case-record/', async () => {
  const caseRecord = outboxCaseRecord(new Outbox(root));
  await caseRecord.recordCaseEvent({ ...record('e-1', 'v1', '../letters'), entry: { person: '../letters' } });
  await caseRecord.recordCaseEvent({ ...record('e-1', 'v1', '..'), entry: { person: '..' } });
  expect(items('letters')).toEqual([]);
  const written = items('case-record');
  expect(written).toHaveLength(2);
  for (const item of written) expect(item.file).toMatch(/^case-record\/[^/]+\/[^/]+\.txt$/);
});
