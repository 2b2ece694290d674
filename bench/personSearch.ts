/**
 * Bench (issue 26): finding a person among 50,000 in the case-event store — by name (any order,
 * any case, with or without accents, a name begun), date of birth, NHS number, postcode and
 * reference, and by name within one team — through the person-index port's default adapter
 * (PersonRecordStore.search, the query GET /people runs). Not a default part: run it with
 * `BENCH_PARTS=people npm run bench`. Target: p95 within 100 ms for every kind.
 *
 * Filling: BENCH_PEOPLE (default 50,000) people, each written by the store's own write path
 * (PersonRecordStore.save: the NHS number and the special-category fields encrypted, the search
 * keys derived, a version kept), names drawn from lists with accents and hyphens so a family name
 * is shared by about 250 people, and a journey row for each, spread over four teams (a fifth with
 * none yet). The fill is not what is timed.
 *
 * Timed: BENCH_PEOPLE_CALLS (default 100) searches of each kind, each for a different person drawn
 * from those written, one after another in the embedded store (PGlite), after one untimed call.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PersonSearchQuery, PersonSearchScope } from '../activities/personIndex';
import { nhsCheckDigit, personRecordSchema, type PersonRecordFields } from '../machines/personRecord';
import { openEmbeddedDatabase } from '../store/database';
import { FieldSealer } from '../store/fieldCrypto';
import { migrate } from '../store/migrate';
import { PersonRecordStore } from '../store/personRecord';
import { percentile } from './stats';

export interface PersonSearchTiming {
  calls: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** people found per search, on average */
  found: number;
}

export interface PersonSearchBench {
  backend: 'embedded';
  people: number;
  fillMs: number;
  /** by kind of search */
  searches: Record<string, PersonSearchTiming>;
  /** the slowest kind's p95 */
  worstP95Ms: number;
  targetP95Ms: number;
}

const given = [
  'Ann',
  'Anne',
  'Zoë',
  'José',
  'Mary',
  'Margaret',
  'Joan',
  'Jean',
  'Patricia',
  'Dorothy',
  'Elizabeth',
  'Barbara',
  'Irene',
  'Sheila',
  'Brenda',
  'Eileen',
  'Doreen',
  'Maureen',
  'Pauline',
  'Valerie',
  'John',
  'David',
  'Peter',
  'Michael',
  'Brian',
  'Robert',
  'Kenneth',
  'Anthony',
  'Derek',
  'Raymond',
  'Łukasz',
  'Agnieszka',
  'Siobhán',
  'Seán',
  'Aoife',
  'Mohammed',
  'Fatima',
  'Aisha',
  'Priya',
  'Rajesh',
  'Gurpreet',
  'Chinedu',
  'Ngozi',
  'Kwame',
  'Amélie',
  'François',
  'Jürgen',
  'Søren',
  'Björn',
  'Ana María',
];
const family = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Wilson',
  'Johnson',
  'Davies',
  'Robinson',
  'Wright',
  'Thompson',
  'Evans',
  'Walker',
  'White',
  'Roberts',
  'Green',
  'Hall',
  'Wood',
  'Jackson',
  'Clarke',
  "O'Brien",
  "O'Neill",
  'Núñez',
  'García',
  'Kowalski',
  'Nowak',
  'Müller',
  'Ó Súilleabháin',
  'Smith-Jones',
  'Ahmed',
  'Khan',
  'Patel',
  'Singh',
  'Okafor',
  'Mensah',
  'Lefèvre',
  'Øverby',
  'Björk',
  'McDonald',
  'MacLeod',
];
// 40 family names × 5 = 200, each about 250 people at 50,000
const families = family.flatMap((f, i) => [
  f,
  `${f}e`,
  `${f}son`,
  `${f}-Hill`,
  i % 2 ? `Van ${f}` : `De ${f}`,
]);
const outward = ['DE4', 'DE45', 'S40', 'S41', 'NG1', 'DE1', 'DE21', 'DE55', 'SK17', 'S18'];

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length]!;
/** n scattered (Knuth's multiplicative hash), so two lists picked by it and by n do not move together */
const spread = (n: number) => Math.imul(n + 1, 2654435761) >>> 8;
const inwardLetters = 'ABDEFGHJLNPQRSTUWXYZ'.split('');

function nhsNumber(n: number): string {
  for (let k = n * 7 + 100_000_000; ; k++) {
    const nine = String(k).padStart(9, '0');
    const check = nhsCheckDigit(nine);
    if (check !== undefined) return `${nine}${check}`;
  }
}

function personOf(n: number): PersonRecordFields {
  const year = 1925 + (n % 80);
  const month = String(1 + ((n * 7) % 12)).padStart(2, '0');
  const day = String(1 + ((n * 13) % 28)).padStart(2, '0');
  return personRecordSchema.parse({
    // given and family names drawn apart, so a whole name is shared by a handful (about 5 at 50,000)
    name: { given: pick(given, spread(n)), family: pick(families, n) },
    dateOfBirth: `${year}-${month}-${day}`,
    nhsNumber: { number: nhsNumber(n), traced: n % 3 === 0 },
    address: {
      lines: [
        `${1 + (n % 120)} ${pick(['Mill Lane', 'Bank Road', 'Dale Road', 'High Street'], n)}`,
        'Matlock',
      ],
      postcode: `${pick(outward, spread(n * 3))} ${n % 10}${pick(inwardLetters, spread(n + 1))}${pick(inwardLetters, n)}`,
    },
    gender: pick(['Female', 'Male', 'Unknown'], n),
    ethnicity: pick(
      [
        'White: English, Welsh, Scottish, Northern Irish or British',
        'White: Irish',
        'Other ethnic group: Arab',
      ],
      n,
    ),
    accommodation: 'Owner occupier or shared ownership scheme',
  });
}

const referenceOf = (n: number) => `P-${String(n).padStart(6, '0')}`;
const fold = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '');

export async function runPersonSearchBench(
  options: { log?: (line: string) => void } = {},
): Promise<PersonSearchBench> {
  const log = options.log ?? ((line: string) => console.log(line));
  const count = Number(process.env.BENCH_PEOPLE ?? 50_000);
  const calls = Number(process.env.BENCH_PEOPLE_CALLS ?? 100);
  const dir = mkdtempSync(path.join(tmpdir(), 'care-bench-people-'));
  const db = await openEmbeddedDatabase(path.join(dir, 'case-store'));
  try {
    await migrate(db);
    const key = { id: 'bench', key: randomBytes(32) };
    const people = new PersonRecordStore(db, new FieldSealer([key], key.id));
    const writer = { userId: 'bench', role: 'integration' };
    const t0 = performance.now();
    for (let n = 0; n < count; n++) {
      await people.save(referenceOf(n), personOf(n), writer, 'import');
      if ((n + 1) % 10_000 === 0)
        log(`  people: ${n + 1} written (${Math.round((performance.now() - t0) / 1000)} s)`);
    }
    // a journey row for each: a team for four in five, none yet (the front door's) for the rest
    await db.query(
      `INSERT INTO journeys (person_id, subject, stage, team, run_number, events_applied, state)
       SELECT person_id, 'person', 'assessment',
              (ARRAY['north','south','east','west',NULL])[1 + abs(hashtext(person_id)) % 5], 1, 1, '{}'::jsonb
       FROM person_records`,
    );
    // as the embedded store leaves its tables every 6 hours (store/database.ts): vacuumed and analysed
    await db.vacuum();
    const fillMs = Math.round(performance.now() - t0);
    log(`  ${count} people and their journeys in ${Math.round(fillMs / 1000)} s`);

    const north: PersonSearchScope = { teams: ['north'], unallocated: false };
    const kinds: Record<string, { query: (n: number) => PersonSearchQuery; scope?: PersonSearchScope }> = {
      'name, in order': { query: (n) => ({ name: `${personOf(n).name.given} ${personOf(n).name.family}` }) },
      'name, any order and case, no accents': {
        query: (n) => ({ name: fold(`${personOf(n).name.family} ${personOf(n).name.given}`).toUpperCase() }),
      },
      'name begun (3 letters each)': {
        query: (n) => ({
          name: `${personOf(n).name.given.slice(0, 3)} ${personOf(n).name.family.slice(0, 3)}`,
        }),
      },
      'family name only': { query: (n) => ({ name: personOf(n).name.family }) },
      'date of birth': { query: (n) => ({ dateOfBirth: personOf(n).dateOfBirth! }) },
      'name and date of birth': {
        query: (n) => ({ name: personOf(n).name.family, dateOfBirth: personOf(n).dateOfBirth! }),
      },
      'NHS number': { query: (n) => ({ nhsNumber: nhsNumber(n) }) },
      postcode: { query: (n) => ({ postcode: personOf(n).address!.postcode }) },
      'postcode district': { query: (n) => ({ postcode: personOf(n).address!.postcode.split(' ')[0]! }) },
      reference: { query: (n) => ({ reference: referenceOf(n) }) },
      'family name, one team': { query: (n) => ({ name: personOf(n).name.family }), scope: north },
    };
    const searches: Record<string, PersonSearchTiming> = {};
    for (const [kind, { query, scope }] of Object.entries(kinds)) {
      await people.search(query(1), scope);
      const ms: number[] = [];
      let found = 0;
      for (let i = 0; i < calls; i++) {
        const n = (i * 7919 + 13) % count;
        const t = performance.now();
        const result = await people.search(query(n), scope);
        ms.push(performance.now() - t);
        found += result.people.length;
      }
      const r = (x: number) => Math.round(x * 10) / 10;
      searches[kind] = {
        calls,
        p50Ms: r(percentile(ms, 50)),
        p95Ms: r(percentile(ms, 95)),
        maxMs: r(Math.max(...ms)),
        found: r(found / calls),
      };
      log(
        `  ${kind}: p50 ${searches[kind].p50Ms} / p95 ${searches[kind].p95Ms} ms (max ${searches[kind].maxMs}; ${searches[kind].found} found on average)`,
      );
    }
    const worstP95Ms = Math.max(...Object.values(searches).map((s) => s.p95Ms));
    log(`  slowest p95 ${worstP95Ms} ms (target 100 ms)`);
    return { backend: 'embedded', people: count, fillMs, searches, worstP95Ms, targetP95Ms: 100 };
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
