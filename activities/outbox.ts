import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The default destination of every side effect: a local folder a person can read, one file per
 * letter or message. Writing is idempotent: an item whose file exists has already gone out, so a
 * retried activity (or a replayed workflow) never sends it twice.
 */
export class Outbox {
  constructor(readonly root: string) {}

  /** Writes the item once; returns false when it was already there. */
  async writeOnce(folder: string, id: string, text: string): Promise<boolean> {
    const dir = path.join(this.root, folder);
    await mkdir(dir, { recursive: true });
    try {
      await writeFile(path.join(dir, `${safeFileName(id)}.txt`), text, { flag: 'wx' });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  }
}

/** Ids come from event ids a client chose: keep them to safe file names. */
export function safeFileName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 200);
}
