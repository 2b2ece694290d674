import type { z } from 'zod';
import type {
  PersonIndex,
  PersonRecordView,
  PersonSearchHit,
  PersonSearchQuery,
  PersonSearchResult,
  PersonSearchScope,
  RecordReader,
} from '../activities/personIndex';
import {
  amended,
  displayName,
  normaliseNhsNumber,
  personFieldNames,
  personRecordSchema,
  sealedFieldNames,
  type PersonRecordAmendment,
  type PersonRecordFields,
  type SealedField,
} from '../machines/personRecord';
import type { AccessLog } from './accessLog';
import type { Queryable, StoreDatabase } from './database';
import type { FieldSealer } from './fieldCrypto';

/**
 * The person record in the case-event store (issue 26, migration 0007): the default adapter of the
 * person-index port (activities/personIndex.ts). One current row per person (`person_records`, with
 * the columns search reads) and every version kept (`person_record_versions`: the whole record as it
 * was, who wrote it, when, through which command, and which fields changed). The NHS number and the
 * special-category fields (machines/personRecord.ts `sealedFields`) are encrypted field by field
 * (store/fieldCrypto.ts) in both; the NHS number is found by its blind index.
 *
 * It is written by the API only (a referral's `person`, PUT/PATCH /people/{personId}/record, an
 * import's person columns), never by a journey: the record is in no event, workflow input or search
 * attribute, so Temporal never holds it.
 */

/** Who changes a record, and through which command. */
export interface RecordWriter {
  userId: string;
  role: string;
}
export const recordCommands = ['referral', 'record', 'amend', 'import'] as const;
export type RecordCommand = (typeof recordCommands)[number];

/** One version of a record, as its history shows it. */
export interface PersonRecordVersion {
  version: number;
  recordedAt: string;
  recordedBy: string;
  recordedRole: string;
  /** the command that wrote it: referral, record (PUT), amend (PATCH), import */
  via: RecordCommand;
  /** the fields this version changed (all of them for the first) */
  changed: string[];
  record: PersonRecordFields;
}

/** An amendment whose result is not a whole record (e.g. it removes the names): the issues, per field. */
export class PersonRecordRefused extends Error {
  override name = 'PersonRecordRefused';
  constructor(readonly issues: readonly z.core.$ZodIssue[]) {
    super(issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
}

/** The blind index's purpose: an NHS number's HMAC means nothing as anything else's. */
const NHS_INDEX = 'nhsNumber';
const sealContext = (personId: string, field: string) => `person-record\n${personId}\n${field}`;

// ---- search keys ----------------------------------------------------------------------------------

const folded: Record<string, string> = { ß: 'ss', ø: 'o', æ: 'ae', œ: 'oe', ł: 'l', đ: 'd', ı: 'i', þ: 'th' };

/**
 * The words of a name as search compares them: no accents, no case, apostrophes dropped; a word
 * joined by hyphens or apostrophes gives its parts and the whole ("O'Brien-Smith": obriensmith,
 * obrien, o, brien, smith). Letters of any script are kept.
 */
export function nameWords(text: string): string[] {
  const words = new Set<string>();
  const plain = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßøæœłđıþ]/g, (c) => folded[c] ?? c);
  for (const raw of plain.split(/\s+/)) {
    const parts = raw.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    if (!parts.length) continue;
    const joined = raw
      .replace(/['’`]/g, '')
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean);
    for (const part of [...parts, ...joined, parts.join('')]) words.add(part.slice(0, 100));
  }
  return [...words];
}

const prefixesOf = (words: readonly string[]) => {
  const prefixes = new Set<string>();
  for (const word of words) for (let n = 1; n <= word.length; n++) prefixes.add(word.slice(0, n));
  return [...prefixes];
};

/** A postcode as search keys it: capitals, no spaces ("de4 3ag" → DE43AG). */
/**
 * What a postcode search compares: a whole postcode exactly ("de43ag" → DE4 3AG); an outward code
 * alone as its district ("DE4" → DE4 and not DE45); anything else as the start it is ("DE4 3").
 */
export function postcodeSearch(text: string): { exact?: string; prefix: string } {
  const typed = text.toUpperCase().replace(/\s+/g, ' ').trim();
  const whole = /^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$/.exec(typed);
  if (whole) return { exact: `${whole[1]} ${whole[2]}`, prefix: `${whole[1]} ${whole[2]}` };
  if (/^[A-Z]{1,2}\d[A-Z\d]?$/.test(typed)) return { prefix: `${typed} ` };
  return { prefix: typed };
}

/** The first text after every text that begins with `prefix` (its last character moved on by one). */
const after = (prefix: string) =>
  prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function searchKeys(record: PersonRecordFields) {
  const names = [record.name.given, record.name.family, record.name.preferred, ...(record.otherNames ?? [])];
  const words = nameWords(names.filter(Boolean).join(' '));
  return {
    nameTokens: words,
    namePrefixes: prefixesOf(words),
    sortName: nameWords(`${record.name.family} ${record.name.given}`).join(' '),
    dateOfBirth: record.dateOfBirth ?? null,
    postcodeKey: record.address?.postcode ?? null,
  };
}

// ---- the store --------------------------------------------------------------------------------

type StoredRow = {
  person_id: string;
  version: number;
  record: Record<string, unknown>;
  sealed: Record<string, string>;
  recorded_at: unknown;
  recorded_by: string;
};

/** JSON with every object's keys in order: jsonb keeps its own order, so a value read back compares by this. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );

const iso = (value: unknown) => new Date(value instanceof Date ? value : String(value)).toISOString();

export class PersonRecordStore implements PersonIndex {
  constructor(
    readonly db: StoreDatabase,
    readonly sealer: FieldSealer,
    private readonly options: { accessLog?: AccessLog } = {},
  ) {}

  /** The plain fields and the sealed ones of a record, as written. */
  private split(personId: string, record: PersonRecordFields) {
    const plain: Record<string, unknown> = {};
    const sealed: Record<string, string> = {};
    for (const [field, value] of Object.entries(record)) {
      if (value === undefined) continue;
      if ((sealedFieldNames as string[]).includes(field))
        sealed[field] = this.sealer.seal(JSON.stringify(value), sealContext(personId, field));
      else plain[field] = value;
    }
    return { plain, sealed };
  }

  /** A stored record whole again: its sealed fields opened. */
  private joined(personId: string, plain: Record<string, unknown>, sealed: Record<string, string>) {
    const record: Record<string, unknown> = { ...plain };
    for (const field of sealedFieldNames) {
      const value = sealed[field];
      if (value !== undefined)
        record[field] = JSON.parse(this.sealer.open(value, sealContext(personId, field)));
    }
    // in the schema's order, so a record reads the same however it was written
    return Object.fromEntries(
      personFieldNames.filter((f) => record[f] !== undefined).map((f) => [f, record[f]]),
    ) as PersonRecordFields;
  }

  private view(row: StoredRow): PersonRecordView {
    return {
      personId: row.person_id,
      version: Number(row.version),
      record: this.joined(row.person_id, row.record, row.sealed),
      recordedAt: iso(row.recorded_at),
      recordedBy: row.recorded_by,
    };
  }

  private async logged(personIds: readonly string[], reader: RecordReader | undefined) {
    if (!reader || !this.options.accessLog || !personIds.length) return;
    const at = new Date().toISOString();
    await this.options.accessLog.append(
      personIds.map((personId) => ({
        personId,
        at,
        userId: reader.userId,
        role: reader.role,
        via: reader.via,
        action: 'read' as const,
        route: reader.route,
        status: 200,
        ...(reader.ip ? { ip: reader.ip } : {}),
        ...(reader.userAgent ? { userAgent: reader.userAgent } : {}),
      })),
    );
  }

  async person(personId: string, reader?: RecordReader): Promise<PersonRecordView | undefined> {
    const { rows } = await this.db.query<StoredRow>(
      'SELECT person_id, version, record, sealed, recorded_at, recorded_by FROM person_records WHERE person_id = $1',
      [personId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const view = this.view(row);
    await this.logged([personId], reader);
    return view;
  }

  /** Every version of the record, oldest first (empty: none). */
  async history(personId: string, reader?: RecordReader): Promise<PersonRecordVersion[]> {
    const { rows } = await this.db.query<
      StoredRow & { recorded_role: string; via: RecordCommand; changed: string[] }
    >(
      `SELECT person_id, version, record, sealed, recorded_at, recorded_by, recorded_role, via, changed
       FROM person_record_versions WHERE person_id = $1 ORDER BY version`,
      [personId],
    );
    const versions = rows.map((row) => ({
      version: Number(row.version),
      recordedAt: iso(row.recorded_at),
      recordedBy: row.recorded_by,
      recordedRole: row.recorded_role,
      via: row.via,
      changed: row.changed,
      record: this.joined(personId, row.record, row.sealed),
    }));
    if (versions.length) await this.logged([personId], reader);
    return versions;
  }

  /**
   * Writes the record as `next` makes it from the current one (undefined: none yet), in one
   * transaction with the current row locked. A write that changes nothing adds no version.
   */
  private async write(
    personId: string,
    next: (current: PersonRecordFields | undefined) => PersonRecordFields | undefined,
    by: RecordWriter,
    via: RecordCommand,
  ): Promise<{ view: PersonRecordView; changed: string[]; created: boolean } | undefined> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<StoredRow>(
        `SELECT person_id, version, record, sealed, recorded_at, recorded_by FROM person_records
         WHERE person_id = $1 FOR UPDATE`,
        [personId],
      );
      const currentRow = rows[0];
      const current = currentRow ? this.joined(personId, currentRow.record, currentRow.sealed) : undefined;
      const record = next(current);
      if (!record) return undefined;
      const changed = personFieldNames.filter(
        (f) => canonical(record[f] ?? null) !== canonical(current?.[f] ?? null),
      );
      if (currentRow && !changed.length) return { view: this.view(currentRow), changed, created: false };
      const version = (currentRow ? Number(currentRow.version) : 0) + 1;
      const recordedAt = new Date().toISOString();
      await this.insert(tx, personId, record, { version, recordedAt, by, via, changed });
      return {
        view: { personId, version, record, recordedAt, recordedBy: by.userId },
        changed,
        created: !currentRow,
      };
    });
  }

  private async insert(
    tx: Queryable,
    personId: string,
    record: PersonRecordFields,
    meta: { version: number; recordedAt: string; by: RecordWriter; via: RecordCommand; changed: string[] },
  ) {
    const { plain, sealed } = this.split(personId, record);
    const keyId = Object.keys(sealed).length ? this.sealer.currentKeyId : null;
    const nhs = record.nhsNumber ? this.sealer.blindIndex(record.nhsNumber.number, NHS_INDEX) : null;
    const keys = searchKeys(record);
    await tx.query(
      `INSERT INTO person_record_versions
         (person_id, version, recorded_at, recorded_by, recorded_role, via, changed, record, sealed, key_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        personId,
        meta.version,
        meta.recordedAt,
        meta.by.userId,
        meta.by.role,
        meta.via,
        meta.changed,
        JSON.stringify(plain),
        JSON.stringify(sealed),
        keyId,
      ],
    );
    await tx.query(
      `INSERT INTO person_records (person_id, version, record, sealed, key_id, name_tokens, name_prefixes,
         sort_name, date_of_birth, postcode_key, nhs_index, recorded_at, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (person_id) DO UPDATE SET version = EXCLUDED.version, record = EXCLUDED.record,
         sealed = EXCLUDED.sealed, key_id = EXCLUDED.key_id, name_tokens = EXCLUDED.name_tokens,
         name_prefixes = EXCLUDED.name_prefixes, sort_name = EXCLUDED.sort_name,
         date_of_birth = EXCLUDED.date_of_birth, postcode_key = EXCLUDED.postcode_key,
         nhs_index = EXCLUDED.nhs_index, recorded_at = EXCLUDED.recorded_at, recorded_by = EXCLUDED.recorded_by`,
      [
        personId,
        meta.version,
        JSON.stringify(plain),
        JSON.stringify(sealed),
        keyId,
        keys.nameTokens,
        keys.namePrefixes,
        keys.sortName,
        keys.dateOfBirth,
        keys.postcodeKey,
        nhs,
        meta.recordedAt,
        meta.by.userId,
      ],
    );
  }

  /** Records the person's record whole (a referral, PUT, an import): fields not given are removed. */
  async save(personId: string, record: PersonRecordFields, by: RecordWriter, via: RecordCommand) {
    return (await this.write(personId, () => record, by, via))!;
  }

  /**
   * Amends the record (PATCH): the fields given replace the current ones, null removes one. Undefined
   * when the person has no record to amend; PersonRecordRefused when the result is not a whole record.
   */
  async amend(personId: string, patch: PersonRecordAmendment, by: RecordWriter) {
    return this.write(
      personId,
      (current) => {
        if (!current) return undefined;
        const parsed = personRecordSchema.safeParse(amended(current, patch));
        if (!parsed.success) throw new PersonRecordRefused(parsed.error.issues);
        return parsed.data;
      },
      by,
      'amend',
    );
  }

  async search(
    query: PersonSearchQuery,
    scope: PersonSearchScope | undefined,
    reader?: RecordReader,
  ): Promise<PersonSearchResult> {
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where: string[] = [];
    let exact = 'false';
    if (query.name !== undefined) {
      const words = nameWords(query.name);
      if (!words.length) return { people: [], more: false };
      where.push(`p.name_prefixes @> ${param(words)}::text[]`);
      // a name given whole comes before names it only begins
      exact = `p.name_tokens @> ${param(words)}::text[]`;
    }
    if (query.dateOfBirth !== undefined) where.push(`p.date_of_birth = ${param(query.dateOfBirth)}::date`);
    if (query.nhsNumber !== undefined)
      where.push(
        `p.nhs_index = ANY(${param(this.sealer.blindIndexes(normaliseNhsNumber(query.nhsNumber), NHS_INDEX))}::text[])`,
      );
    if (query.postcode !== undefined) {
      const postcode = postcodeSearch(query.postcode);
      where.push(
        postcode.exact
          ? `p.postcode_key = ${param(postcode.exact)}`
          : // as a range on the index's own order, so a district is read from the index alone
            `p.postcode_key ~>=~ ${param(postcode.prefix)} AND p.postcode_key ~<~ ${param(after(postcode.prefix))}`,
      );
    }
    let orphans = '';
    const within = (alias: string) =>
      scope
        ? ` AND (${alias}.team = ANY(${param(scope.teams)}::text[]) OR (${alias}.team IS NULL AND ${param(scope.unallocated)}::boolean))`
        : '';
    if (query.reference !== undefined) {
      const prefix = param(`${likeEscaped(query.reference.toLowerCase())}%`);
      where.push(`lower(p.person_id) LIKE ${prefix} ESCAPE '\\'`);
      // a person with a journey and no record yet is found by the reference alone
      if (where.length === 1)
        orphans = ` UNION ALL SELECT j.person_id, NULL, false FROM journeys j
          WHERE lower(j.person_id) LIKE ${prefix} ESCAPE '\\'
            AND NOT EXISTS (SELECT 1 FROM person_records r WHERE r.person_id = j.person_id)${within('j')}`;
    }
    if (!where.length) return { people: [], more: false };
    const limit = Math.max(1, Math.min(query.limit ?? 25, 200));
    // The matches are ranked and cut to the page on narrow rows (id and sort key, and the team
    // only where the caller's teams narrow it); only the page's records and journeys are read
    // whole: a common name or a postcode district matches thousands.
    const { rows } = await this.db.query<{
      person_id: string;
      record: Record<string, unknown> | null;
      sealed: Record<string, string> | null;
      team: string | null;
      stage: string | null;
      closed: boolean | null;
    }>(
      `WITH hits AS (
         SELECT p.person_id, p.sort_name, ${exact} AS exact
         FROM person_records p${scope ? ' LEFT JOIN journeys j ON j.person_id = p.person_id' : ''}
         WHERE ${where.join(' AND ')}${within('j')}${orphans}
         ORDER BY exact DESC, sort_name NULLS LAST, person_id
         LIMIT ${param(limit + 1)}
       )
       SELECT h.person_id, p.record, p.sealed, j.team, j.stage, j.closed
       FROM hits h LEFT JOIN person_records p ON p.person_id = h.person_id
         LEFT JOIN journeys j ON j.person_id = h.person_id
       ORDER BY h.exact DESC, h.sort_name NULLS LAST, h.person_id`,
      params,
    );
    const people = rows.slice(0, limit).map((row): PersonSearchHit => {
      const journey = {
        ...(row.team ? { team: row.team } : {}),
        ...(row.stage ? { stage: row.stage } : {}),
        ...(row.closed === null ? {} : { closed: row.closed }),
      };
      if (!row.record) return { personId: row.person_id, hasRecord: false, ...journey };
      const nhs = row.sealed?.nhsNumber;
      const record = row.record as Pick<PersonRecordFields, 'name' | 'dateOfBirth' | 'address'>;
      return {
        personId: row.person_id,
        name: displayName(record),
        givenName: record.name.given,
        familyName: record.name.family,
        ...(record.dateOfBirth ? { dateOfBirth: record.dateOfBirth } : {}),
        ...(nhs
          ? {
              nhsNumber: (
                JSON.parse(this.sealer.open(nhs, sealContext(row.person_id, 'nhsNumber'))) as {
                  number: string;
                }
              ).number,
            }
          : {}),
        ...(record.address
          ? { postcode: record.address.postcode, addressLine: record.address.lines[0] }
          : {}),
        ...journey,
        hasRecord: true,
      };
    });
    await this.logged(
      people.filter((p) => p.hasRecord).map((p) => p.personId),
      reader,
    );
    return { people, more: rows.length > limit };
  }

  /**
   * After a key rotation: re-encrypts, under the current key, the records (current and every
   * version) still sealed under another, so the old key can then be dropped. At most `limit`
   * people a call; `more` says to call again.
   */
  async reseal(limit = 500): Promise<{ people: number; more: boolean }> {
    const current = this.sealer.currentKeyId;
    const { rows } = await this.db.query<{ person_id: string }>(
      `SELECT DISTINCT person_id FROM person_record_versions WHERE key_id IS NOT NULL AND key_id <> $1
       ORDER BY person_id LIMIT $2`,
      [current, limit + 1],
    );
    const people = rows.slice(0, limit).map((r) => r.person_id);
    for (const personId of people) {
      await this.db.transaction(async (tx) => {
        const versions = await tx.query<{ version: number; sealed: Record<string, string> }>(
          `SELECT version, sealed FROM person_record_versions WHERE person_id = $1 AND key_id <> $2 FOR UPDATE`,
          [personId, current],
        );
        for (const row of versions.rows) {
          await tx.query(
            'UPDATE person_record_versions SET sealed = $3, key_id = $4 WHERE person_id = $1 AND version = $2',
            [personId, row.version, JSON.stringify(this.resealed(personId, row.sealed)), current],
          );
        }
        const now = await tx.query<{ sealed: Record<string, string>; record: Record<string, unknown> }>(
          'SELECT sealed, record FROM person_records WHERE person_id = $1 FOR UPDATE',
          [personId],
        );
        const row = now.rows[0];
        if (!row) return;
        const record = this.joined(personId, row.record, row.sealed);
        await tx.query(
          'UPDATE person_records SET sealed = $2, key_id = $3, nhs_index = $4 WHERE person_id = $1',
          [
            personId,
            JSON.stringify(this.resealed(personId, row.sealed)),
            Object.keys(row.sealed).length ? current : null,
            record.nhsNumber ? this.sealer.blindIndex(record.nhsNumber.number, NHS_INDEX) : null,
          ],
        );
      });
    }
    return { people: people.length, more: rows.length > limit };
  }

  private resealed(personId: string, sealed: Record<string, string>) {
    return Object.fromEntries(
      Object.entries(sealed).map(([field, value]) => [
        field,
        this.sealer.keyIdOf(value) === this.sealer.currentKeyId
          ? value
          : this.sealer.seal(
              this.sealer.open(value, sealContext(personId, field)),
              sealContext(personId, field),
            ),
      ]),
    );
  }
}

/** The field names a record's sealed part may hold (for the docs and tests). */
export const sealedInStore: readonly SealedField[] = sealedFieldNames;
