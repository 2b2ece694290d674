import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { cldPersonDetailsFrom } from '../../activities/personIndex';
import type { JourneyEvent } from '../../machines/events';
import { importEventId, parseImportRow } from '../../machines/importRow';
import {
  nhsCheckDigit,
  personRecordAmendmentSchema,
  personRecordSchema,
  type PersonRecordInput,
} from '../../machines/personRecord';
import { storeAccessLog } from '../../store/accessLog';
import { FieldSealer } from '../../store/fieldCrypto';
import { nameWords, PersonRecordRefused, PersonRecordStore } from '../../store/personRecord';
import { forgetClosedBefore } from '../../store/retention';
import { ev, referral } from '../support/journeyEvents';
import { entriesOf } from './journeyEntries';
import { backends, openTestStore, type TestStore } from './storeKit';

/**
 * The person record in the case-event store (issue 26): recorded and amended with every version
 * kept (who, when, what changed); the NHS number's check digit; the NHS number and the special
 * category fields never readable in the store's tables or files; search forgiving of case, accents
 * and order, by date of birth, NHS number, postcode and reference, within the caller's teams;
 * retention removes it; a key rotation leaves it readable and findable.
 */

const keyA = { id: 'A-2026-04', key: randomBytes(32) };
const keyB = { id: 'B-2026-10', key: randomBytes(32) };
const sealer = new FieldSealer([keyA], keyA.id);
const ann = { userId: 'ann.practitioner', role: 'practitioner' };
const bob = { userId: 'bob.manager', role: 'manager' };

/** A valid NHS number made from nine digits (the check digit worked out, skipping nines that have none). */
function nhsNumber(seed: number): string {
  for (let n = seed; ; n++) {
    const nine = String(100_000_000 + (n % 800_000_000)).padStart(9, '0');
    const check = nhsCheckDigit(nine);
    if (check !== undefined) return `${nine}${check}`;
  }
}

const record = (overrides: Partial<PersonRecordInput> = {}) =>
  personRecordSchema.parse({
    name: { title: 'Mrs', given: 'Zoë Anne', family: "O'Brien-Smith", preferred: 'Zoë' },
    dateOfBirth: '1941-05-14',
    nhsNumber: { number: '943 476 5919', traced: true },
    address: { lines: ['4 Mill Lane', 'Matlock'], postcode: 'de4 3ag' },
    contacts: [{ kind: 'telephone', value: '01629 580000', preferred: true }],
    gender: 'Female',
    ethnicity: 'White: Irish',
    primarySupportReason: 'Learning Disability Support',
    accommodation: 'Owner occupier or shared ownership scheme',
    unpaidCarer: 'Yes',
    communicationNeeds: ['Hard of hearing: face her when you speak'],
    ...overrides,
  });

describe('the record at the edge', () => {
  it('checks the NHS number by its check digit, and says what to do', () => {
    expect(
      personRecordSchema.safeParse({ ...record(), nhsNumber: { number: '9434765919', traced: false } })
        .success,
    ).toBe(true);
    const wrong = personRecordSchema.safeParse({
      ...record(),
      nhsNumber: { number: '943 476 5918', traced: false },
    });
    expect(wrong.success).toBe(false);
    expect(wrong.error!.issues[0]!.path).toEqual(['nhsNumber', 'number']);
    expect(wrong.error!.issues[0]!.message).toBe(
      "943 476 5918 is not a valid NHS number: its last digit does not match the check worked out from the first nine, so a digit has been mistyped or two swapped; copy it again from the person's NHS letter, the GP record or a trace through the Personal Demographics Service",
    );
    const short = personRecordSchema.safeParse({
      ...record(),
      nhsNumber: { number: '943 476 591', traced: false },
    });
    expect(short.error!.issues[0]!.message).toMatch(/^an NHS number is 10 digits .* this has 9 digits$/);
    // nine digits whose check would be 10 make no valid number at all
    expect(nhsCheckDigit('000020000')).toBeUndefined();
  });

  it('takes the CLD items only in the return’s own strings, naming the field and the values', () => {
    const wrong = personRecordSchema.safeParse({ ...record(), accommodation: 'Own home' });
    expect(wrong.error!.issues[0]!.path).toEqual(['accommodation']);
    expect(wrong.error!.issues[0]!.message).toContain(
      '"Own home" is not one of the values accommodation (CLD Accommodation_Status) takes: choose one of Owner occupier or shared ownership scheme,',
    );
  });

  it('normalises the postcode and the NHS number as written', () => {
    const r = record();
    expect(r.address?.postcode).toBe('DE4 3AG');
    expect(r.nhsNumber?.number).toBe('9434765919');
  });

  it('refuses an amendment that changes nothing, and an unknown field by name', () => {
    expect(personRecordAmendmentSchema.safeParse({}).error!.issues[0]!.message).toBe(
      'the amendment changes nothing: give the fields to change (null removes one)',
    );
    const unknown = personRecordAmendmentSchema.safeParse({ adress: {} });
    expect(unknown.error!.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['adress'] });
  });
});

describe("an import row's person columns", () => {
  const journey = { personId: 'imp-1', stage: 'assessment', team: 'north' };
  it('make the record, apart from the journey: the journey event is the same with them or without', () => {
    const plain = parseImportRow(journey);
    const withPerson = parseImportRow({
      ...journey,
      givenName: 'Ivy',
      familyName: 'Dale',
      nhsNumber: '943 476 5919',
      nhsNumberTraced: 'yes',
      addressLines: '2 Dale Road; Matlock',
      postcode: 'de4 3lt',
      telephone: '01629 580000',
      communicationNeeds: 'BSL interpreter;Large print',
      interpreterNeeded: 'yes',
      interpreterLanguage: 'British Sign Language',
    });
    if (!plain.ok || !withPerson.ok) throw new Error('rows refused');
    expect(importEventId(withPerson.row)).toBe(importEventId(plain.row));
    expect(withPerson.person).toEqual({
      name: { given: 'Ivy', family: 'Dale' },
      nhsNumber: { number: '9434765919', traced: true },
      address: { lines: ['2 Dale Road', 'Matlock'], postcode: 'DE4 3LT' },
      contacts: [{ kind: 'telephone', value: '01629 580000' }],
      interpreter: { needed: true, language: 'British Sign Language' },
      communicationNeeds: ['BSL interpreter', 'Large print'],
    });
  });

  it('are refused by their column, with what is accepted', () => {
    const refused = parseImportRow({
      ...journey,
      givenName: 'Ivy',
      ethnicity: 'Irish',
      dateOfBirth: '14/05/1941',
    });
    if (refused.ok) throw new Error('accepted');
    expect(refused.problems.map((p) => p.column).sort()).toEqual(['dateOfBirth', 'ethnicity', 'familyName']);
    expect(refused.problems.find((p) => p.column === 'familyName')?.message).toBe(
      'is required with the other person columns',
    );
    expect(refused.problems.find((p) => p.column === 'ethnicity')?.accepted).toContain('White: Irish');
    const unknown = parseImportRow({ ...journey, surname: 'Dale' });
    expect(!unknown.ok && unknown.problems[0]?.message).toMatch(
      /^unknown column surname: the columns are .*givenName, familyName/,
    );
  });
});

describe('search words', () => {
  it('fold case, accents and apostrophes, and keep a hyphenated name whole and in parts', () => {
    expect(nameWords("Zoë O'Brien-Smith")).toEqual(
      expect.arrayContaining(['zoe', 'o', 'brien', 'smith', 'obrien', 'obriensmith']),
    );
    expect(nameWords('ŁUKASZ Groß')).toEqual(['lukasz', 'gross']);
  });
});

describe.each(backends)('the person record (%s)', (backend) => {
  let t: TestStore;
  let people: PersonRecordStore;
  beforeAll(async () => {
    t = await openTestStore(backend);
    people = new PersonRecordStore(t.db, sealer, { accessLog: storeAccessLog(t.db) });
  });
  afterAll(async () => t?.close());

  it('keeps every change with who made it and when; a change of address keeps the old one', async () => {
    const first = await people.save('pr-1', record(), ann, 'referral');
    expect(first).toMatchObject({ created: true, view: { version: 1, recordedBy: ann.userId } });
    // the same record again is no change, and no version
    const same = await people.save('pr-1', record(), bob, 'record');
    expect(same).toMatchObject({ created: false, changed: [], view: { version: 1 } });

    const moved = await people.amend(
      'pr-1',
      personRecordAmendmentSchema.parse({
        address: { lines: ['Flat 2, 9 Bank Road', 'Matlock'], postcode: 'DE4 3NF' },
        communicationNeeds: null,
      }),
      bob,
    );
    expect(moved).toMatchObject({ changed: ['address', 'communicationNeeds'], view: { version: 2 } });
    const now = await people.person('pr-1');
    expect(now?.record.address).toEqual({ lines: ['Flat 2, 9 Bank Road', 'Matlock'], postcode: 'DE4 3NF' });
    expect(now?.record.communicationNeeds).toBeUndefined();
    expect(now?.record.ethnicity).toBe('White: Irish');

    const history = await people.history('pr-1');
    expect(history.map((v) => [v.version, v.recordedBy, v.recordedRole, v.via, v.changed])).toEqual([
      [1, ann.userId, 'practitioner', 'referral', expect.arrayContaining(['name', 'nhsNumber', 'address'])],
      [2, bob.userId, 'manager', 'amend', ['address', 'communicationNeeds']],
    ]);
    expect(history[0]!.record.address).toEqual({ lines: ['4 Mill Lane', 'Matlock'], postcode: 'DE4 3AG' });
    expect(history[0]!.record.communicationNeeds).toEqual(['Hard of hearing: face her when you speak']);
    expect(Date.parse(history[1]!.recordedAt)).toBeGreaterThanOrEqual(Date.parse(history[0]!.recordedAt));
  });

  it('refuses an amendment that would leave no names, naming the field; and one for nobody', async () => {
    await expect(
      people.amend('pr-1', { name: { given: 'Zoë', family: '' } } as never, bob),
    ).rejects.toBeInstanceOf(PersonRecordRefused);
    expect(await people.amend('pr-nobody', { gender: 'Male' }, bob)).toBeUndefined();
    expect((await people.person('pr-1'))?.version).toBe(2);
  });

  it('keeps the NHS number and the special-category fields only as ciphertext in its tables', async () => {
    const nhs = nhsNumber(424_242);
    await people.save('pr-sealed', record({ nhsNumber: { number: nhs, traced: false } }), ann, 'record');
    for (const table of ['person_records', 'person_record_versions']) {
      const { rows } = await t.db.query<{ text: string }>(
        `SELECT row_to_json(x)::text AS text FROM ${table} x WHERE person_id = 'pr-sealed'`,
      );
      const text = rows.map((r) => r.text).join('\n');
      expect(text).toContain("O'Brien-Smith"); // the search is real: the row is there, names readable
      for (const secret of [nhs, 'White: Irish', 'Learning Disability Support', 'Hard of hearing'])
        expect({ table, found: text.includes(secret) }).toEqual({ table, found: false });
      expect(text).toContain(`f1:${keyA.id}:`);
    }
    expect((await people.person('pr-sealed'))?.record.nhsNumber).toEqual({ number: nhs, traced: false });
  });

  it('a sealed field moved to another person does not open', async () => {
    await people.save(
      'pr-other',
      record({ nhsNumber: { number: nhsNumber(77), traced: false } }),
      ann,
      'record',
    );
    await t.db.query(
      `UPDATE person_records SET sealed = (SELECT sealed FROM person_records WHERE person_id = 'pr-sealed')
       WHERE person_id = 'pr-other'`,
    );
    await expect(people.person('pr-other')).rejects.toThrow(
      /does not decrypt: it was altered, or moved from another person or field/,
    );
    await t.db.query("DELETE FROM person_records WHERE person_id = 'pr-other'");
  });

  describe('search', () => {
    const team = async (personId: string, teamId: string | null) => {
      const events: JourneyEvent[] = [referral('2026-01-05T10:00:00Z')];
      if (teamId)
        events.push(
          ev('WORKER_ALLOCATED', '2026-01-05T11:00:00Z', { team: teamId, workerId: `${teamId}.w` }),
        );
      for (const entry of entriesOf(personId, events).entries) await t.store.recordCaseEvent(entry);
    };
    beforeAll(async () => {
      await people.save(
        's-north',
        record({ name: { given: 'José', family: 'Núñez García' }, dateOfBirth: '1950-01-02' }),
        ann,
        'record',
      );
      await people.save(
        's-south',
        record({
          name: { given: 'Jose', family: 'Nunez' },
          nhsNumber: { number: nhsNumber(1234), traced: true },
          address: { lines: ['1 High St'], postcode: 'S1 2AB' },
        }),
        ann,
        'record',
      );
      await people.save('s-front', record({ name: { given: 'Josephine', family: 'Nunn' } }), ann, 'record');
      await people.save('s-abbott', record({ name: { given: 'Joseph', family: 'Abbott' } }), ann, 'record');
      await people.save(
        's-bakewell',
        record({
          name: { given: 'Bea', family: 'Bakewell' },
          address: { lines: ['1 Bridge St'], postcode: 'DE45 1AB' },
        }),
        ann,
        'record',
      );
      await team('s-north', 'north');
      await team('s-south', 'south');
      await team('s-front', null);
      await team('s-norecord', 'north');
    });
    const ids = (result: { people: { personId: string }[] }) => result.people.map((p) => p.personId);
    const everyone = undefined;

    it('by name in any order, case and accents, and by the start of a name; whole names first', async () => {
      expect(ids(await people.search({ name: 'GARCIA nunez jose' }, everyone))).toEqual(['s-north']);
      expect(ids(await people.search({ name: 'josé núñez' }, everyone))).toEqual(['s-north', 's-south']);
      // words begun: Nunn and both Nunezes, by family name
      expect(ids(await people.search({ name: 'nun jos' }, everyone))).toEqual([
        's-north',
        's-south',
        's-front',
      ]);
      expect(ids(await people.search({ name: 'nunn' }, everyone))).toEqual(['s-front']);
      // a name given whole comes before names it only begins (Joseph Abbott sorts first otherwise)
      expect(ids(await people.search({ name: 'Jose' }, everyone))).toEqual([
        's-north',
        's-south',
        's-abbott',
        's-front',
      ]);
      expect(ids(await people.search({ name: 'smith' }, everyone))).not.toContain('s-north');
    });

    it('by date of birth, NHS number, postcode and reference, every criterion together', async () => {
      expect(ids(await people.search({ name: 'jose', dateOfBirth: '1950-01-02' }, everyone))).toEqual([
        's-north',
      ]);
      expect(
        ids(
          await people.search({ nhsNumber: nhsNumber(1234).replace(/(\d{3})(\d{3})/, '$1 $2 ') }, everyone),
        ),
      ).toEqual(['s-south']);
      expect(ids(await people.search({ postcode: 's1' }, everyone))).toEqual(['s-south']);
      expect(ids(await people.search({ postcode: 'S12AB', name: 'jose' }, everyone))).toEqual(['s-south']);
      // a district alone is that district (DE4, not DE45); a postcode begun is its start
      expect(ids(await people.search({ postcode: 'de45' }, everyone))).toEqual(['s-bakewell']);
      expect(ids(await people.search({ postcode: 'DE4', name: 'bea' }, everyone))).toEqual([]);
      expect(ids(await people.search({ postcode: 'DE4 3', name: 'jose' }, everyone))).toEqual([
        's-north',
        's-abbott',
        's-front',
      ]);
      expect(ids(await people.search({ reference: 'S-NOR' }, everyone))).toEqual(['s-north', 's-norecord']);
      const found = await people.search({ reference: 's-norecord' }, everyone);
      expect(found.people).toEqual([
        { personId: 's-norecord', hasRecord: false, team: 'north', stage: expect.any(String), closed: false },
      ]);
      const hit = (await people.search({ name: 'jose nunez', postcode: 'S1' }, everyone)).people[0];
      expect(hit).toMatchObject({
        personId: 's-south',
        name: 'Jose Nunez',
        dateOfBirth: '1941-05-14',
        nhsNumber: nhsNumber(1234),
        postcode: 'S1 2AB',
        addressLine: '1 High St',
        team: 'south',
        hasRecord: true,
      });
    });

    it('only within the caller’s teams; the front door’s people while they have no team', async () => {
      expect(ids(await people.search({ name: 'nun' }, { teams: ['north'], unallocated: false }))).toEqual([
        's-north',
      ]);
      expect(ids(await people.search({ name: 'nun' }, { teams: ['south'], unallocated: true }))).toEqual([
        's-south',
        's-front',
      ]);
      expect(ids(await people.search({ name: 'nun' }, { teams: [], unallocated: false }))).toEqual([]);
    });

    it('puts the people a search found, and a CLD look-up, in their access record', async () => {
      const reader = { userId: 'ada.auditor', role: 'auditor', via: 'token' as const, route: 'CLD return' };
      const items = await cldPersonDetailsFrom(people, reader).personDetails('s-north');
      expect(items).toMatchObject({
        NHS_Number: '9434765919',
        Date_of_Birth: '1950-01-02',
        Ethnicity: 'White: Irish',
        Postcode: 'DE4 3AG',
        Primary_Support_Reason: 'Learning Disability Support',
        Accommodation_Status: 'Owner occupier or shared ownership scheme',
        Has_Unpaid_Carer: 'Yes',
        Gender: 'Female',
      });
      await people.search({ name: 'nunn' }, undefined, { ...reader, route: 'GET /people' });
      const log = storeAccessLog(t.db);
      expect((await log.read('s-north', { limit: 10 })).entries.map((e) => e.route)).toContain('CLD return');
      expect(
        (await log.read('s-front', { limit: 10 })).entries.map((e) => [e.route, e.userId, e.action]),
      ).toContainEqual(['GET /people', 'ada.auditor', 'read']);
    });
  });

  it('after a key rotation: read and found under the old key while it is listed; resealed, the old key can go', async () => {
    const nhs = nhsNumber(99_001);
    await people.save('pr-rotate', record({ nhsNumber: { number: nhs, traced: true } }), ann, 'record');
    const rotated = new PersonRecordStore(t.db, new FieldSealer([keyA, keyB], keyB.id));
    expect((await rotated.person('pr-rotate'))?.record.nhsNumber?.number).toBe(nhs);
    expect((await rotated.search({ nhsNumber: nhs }, undefined)).people.map((p) => p.personId)).toEqual([
      'pr-rotate',
    ]);

    const onlyB = new PersonRecordStore(t.db, new FieldSealer([keyB], keyB.id));
    await expect(onlyB.person('pr-rotate')).rejects.toThrow(
      `a field of the person record is encrypted under payload key "${keyA.id}", which is not among the configured keys (${keyB.id}): list it again in CARE_PAYLOAD_KEYS to read it`,
    );
    let more = true;
    while (more) more = (await rotated.reseal(2)).more;
    expect((await onlyB.person('pr-rotate'))?.record.nhsNumber?.number).toBe(nhs);
    expect((await onlyB.history('pr-rotate'))[0]?.record.ethnicity).toBe('White: Irish');
    expect((await onlyB.search({ nhsNumber: nhs }, undefined)).people.map((p) => p.personId)).toEqual([
      'pr-rotate',
    ]);
    const { rows } = await t.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM person_record_versions WHERE key_id <> $1`,
      [keyB.id],
    );
    expect(Number(rows[0]?.n)).toBe(0);
  });

  it('retention removes the record and its every version with the journey', async () => {
    const at = '2016-03-01T10:00:00Z';
    const events = [
      referral(at),
      ev('UNIVERSAL_OFFER_GIVEN', at, { informationAndAdvice: ['Leaflet'], signposting: [], prevention: [] }),
      ev('TRIAGED', at, { route: 'informationAndAdvice', reason: 'Advice meets the need' }),
    ];
    for (const entry of entriesOf('pr-gone', events).entries) await t.store.recordCaseEvent(entry);
    await people.save('pr-gone', record(), ann, 'referral');
    await people.amend('pr-gone', { gender: 'Unknown' }, bob);
    const answer = await forgetClosedBefore(t.db, {
      closedBefore: new Date('2017-01-01T00:00:00Z'),
      by: 'records',
      dryRun: false,
    });
    expect(answer.people.find((p) => p.personId === 'pr-gone')?.removed).toMatchObject({
      person_records: 1,
      person_record_versions: 2,
    });
    expect(await people.person('pr-gone')).toBeUndefined();
    expect(await people.history('pr-gone')).toEqual([]);
  });

  if (backend === 'embedded') {
    it("holds no NHS number or ethnicity in the store's files", async () => {
      const nhs = nhsNumber(31_337);
      const ethnicity = 'Other ethnic group: Arab';
      const name = `Marker${randomBytes(3).toString('hex')}`;
      await people.save(
        'pr-files',
        record({
          name: { given: name, family: 'Files' },
          nhsNumber: { number: nhs, traced: true },
          ethnicity,
        }),
        ann,
        'record',
      );
      await t.db.query('CHECKPOINT');
      const files: string[] = [];
      const walk = (dir: string) => {
        for (const entry of readdirSync(dir)) {
          const file = path.join(dir, entry);
          if (statSync(file).isDirectory()) walk(file);
          else files.push(file);
        }
      };
      walk(t.where);
      const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
      // the search is real: the readable name is in the files
      expect(bytes.includes(Buffer.from(name))).toBe(true);
      expect(bytes.includes(Buffer.from(nhs))).toBe(false);
      expect(bytes.includes(Buffer.from(ethnicity))).toBe(false);
    });
  }
});
