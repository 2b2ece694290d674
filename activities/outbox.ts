import { createHash, randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The default destination of every side effect: a local folder a person can read, one file per
 * letter or message. Writing is idempotent and exact: an item is keyed by its whole id (the file is
 * named by a readable prefix and the sha256 of the id, and its first line is the id itself), so
 * two ids never share a file. The same item written again (a retried activity, a replayed workflow)
 * is a no-op; a different item under an id already used is an error, never silently "sent".
 */
export class Outbox {
  constructor(readonly root: string) {}

  /** The file an item with this id has in a folder. */
  itemPath(folder: string, id: string): string {
    return path.join(this.root, folder, `${outboxName(id)}.txt`);
  }

  /**
   * Writes the item once; returns false when exactly this item was already there. Throws
   * OutboxConflictError (and leaves the first item as it was) when the id was used for other content.
   */
  async writeOnce(folder: string, id: string, text: string): Promise<boolean> {
    return this.placeOnce(
      folder,
      id,
      this.itemPath(folder, id),
      Buffer.from(`${idLine(id)}\n${text}`, 'utf8'),
    );
  }

  /** Removes an item (nothing when it is not there): a copy of something withdrawn. */
  async remove(folder: string, id: string): Promise<void> {
    await unlink(this.itemPath(folder, id)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  /**
   * Writes exact bytes once (a PDF, an HTML page: no `Id:` line, which would spoil them), named like
   * any item (`outboxName(id)`) with its own extension; the same rules as writeOnce.
   */
  async writeOnceFile(folder: string, id: string, extension: string, content: Buffer): Promise<boolean> {
    return this.placeOnce(
      folder,
      id,
      path.join(this.root, folder, `${outboxName(id)}.${extension}`),
      content,
    );
  }

  private async placeOnce(folder: string, id: string, file: string, content: Buffer): Promise<boolean> {
    await mkdir(path.dirname(file), { recursive: true });
    // Written whole elsewhere, then linked into place: link never replaces a file, and a reader (or
    // a concurrent attempt) never sees half an item.
    const staging = path.join(this.root, '.staging');
    await mkdir(staging, { recursive: true });
    const partial = path.join(staging, randomUUID());
    await writeFile(partial, content, { flag: 'wx' });
    try {
      await link(partial, file);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      await unlink(partial).catch(() => undefined);
    }
    const existing = await readFile(file);
    if (existing.equals(content)) return false;
    throw new OutboxConflictError(folder, id, file);
  }
}

/** An id already used in the outbox for a different item: retrying will not make it go out. */
export class OutboxConflictError extends Error {
  constructor(
    readonly folder: string,
    readonly id: string,
    readonly file: string,
  ) {
    super(
      `outbox: ${folder} already holds a different item with id ${JSON.stringify(id)} (${file}); ` +
        'not overwritten, the new one was not sent',
    );
    this.name = 'OutboxConflictError';
  }
}

/** How the id is written on an item's first line: JSON, so any id (newlines, lone surrogates) reads back exactly. */
function idLine(id: string): string {
  return `Id: ${JSON.stringify(id)}`;
}

const READABLE_PREFIX = 80;

/**
 * A file or folder name for an id, distinct for distinct ids (also on case-insensitive file systems):
 * a readable prefix (the id with unsafe characters as `_`, at most 80 characters), `~`, and the
 * sha256 (hex) of the id as written on the item's `Id:` line (`JSON.stringify(id)`, UTF-8).
 */
export function outboxName(id: string): string {
  const readable =
    id
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .replace(/^\./, '_')
      .slice(0, READABLE_PREFIX) || '_';
  return `${readable}~${createHash('sha256').update(JSON.stringify(id), 'utf8').digest('hex')}`;
}
