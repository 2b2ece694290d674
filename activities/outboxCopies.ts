import { access, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { caseRecordFolder } from './caseRecord';
import { LETTER_DOCUMENTS } from './letters';
import { outboxName, type Outbox } from './outbox';

/** A person's record, by the ids its readable copies are filed under (the case-event store has them). */
export interface PersonIds {
  personId: string;
  letterIds: readonly string[];
  notificationIds: readonly string[];
}

/**
 * The readable copies of a person's record kept beside the case-event store: with the default
 * adapters, the outbox's case record, letters (and their HTML and PDF) and the reminders and
 * escalations sent about them. Retention (store/retention.ts) removes them with the record.
 */
export interface ReadableCopies {
  /** How many files of this person there are; removed unless `dryRun`. */
  remove(person: PersonIds, dryRun: boolean): Promise<number>;
}

/**
 * The outbox's copies, found by exact name: every item is filed under its whole id (`outboxName`),
 * so another person's files are never matched, whatever their ids share.
 */
export function outboxCopies(outbox: Outbox): ReadableCopies {
  const at = (...parts: string[]) => path.join(outbox.root, ...parts);
  const items = (person: PersonIds): string[] => [
    ...person.letterIds.flatMap((id) => [
      at('letters', `${outboxName(id)}.txt`),
      at(LETTER_DOCUMENTS, `${outboxName(id)}.html`),
      at(LETTER_DOCUMENTS, `${outboxName(id)}.pdf`),
    ]),
    ...person.notificationIds.flatMap((id) => [
      at('notifications', `${outboxName(id)}.txt`),
      at('escalations', `${outboxName(id)}.txt`),
    ]),
  ];
  return {
    async remove(person, dryRun) {
      const folder = at(caseRecordFolder(person.personId));
      const recordFiles = await readdir(folder).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return [] as string[];
        throw err;
      });
      const present = (
        await Promise.all(
          items(person).map((file) =>
            access(file).then(
              () => file,
              () => undefined,
            ),
          ),
        )
      ).filter((file): file is string => file !== undefined);
      if (!dryRun) {
        for (const file of present) await rm(file, { force: true });
        await rm(folder, { recursive: true, force: true });
      }
      return recordFiles.length + present.length;
    },
  };
}
