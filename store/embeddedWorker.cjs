// The embedded case-event store's thread: PGlite (PostgreSQL compiled to WebAssembly) runs here,
// off the main thread, so a long query never holds up the API or the Temporal worker, and so it
// runs in plain Node wherever the caller runs (Jest's module sandbox cannot load PGlite).
// Plain JavaScript: no build step. Messages: { id, op: 'query' | 'exec', sql, params } in,
// { id, ok, rows, rowCount } or { id, ok: false, error } out.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, run as it is */
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require('@electric-sql/pglite');

const opening = PGlite.create(workerData.dir ?? undefined);
opening.then(
  () => parentPort.postMessage({ id: 0, ok: true }),
  (err) => parentPort.postMessage({ id: 0, ok: false, error: errorOf(err) }),
);

// Emscripten can throw plain objects (an ErrnoError without a message): say what they hold.
function describe(err) {
  if (err && typeof err === 'object') {
    try {
      return JSON.stringify(err);
    } catch {
      return Object.prototype.toString.call(err);
    }
  }
  return String(err);
}

function errorOf(err) {
  return {
    message: err && err.message ? err.message : describe(err),
    code: err && err.code,
    detail: err && err.detail,
  };
}

parentPort.on('message', async (message) => {
  try {
    const db = await opening;
    if (message.op === 'close') {
      await db.close();
      parentPort.postMessage({ id: message.id, ok: true });
      return;
    }
    if (message.op === 'exec') {
      await db.exec(message.sql);
      parentPort.postMessage({ id: message.id, ok: true, rows: [], rowCount: 0 });
      return;
    }
    const result = await db.query(message.sql, message.params);
    parentPort.postMessage({
      id: message.id,
      ok: true,
      rows: result.rows,
      rowCount: result.affectedRows ?? result.rows.length,
    });
  } catch (err) {
    parentPort.postMessage({ id: message.id, ok: false, error: errorOf(err) });
  }
});
