import { temporal } from '@temporalio/proto';

/**
 * Histories are kept as the History message's plain-object JSON (64-bit numbers as strings,
 * bytes as base64). @temporalio/common's historyToJSON is not used: it fails when its protobufjs
 * copy differs from @temporalio/proto's.
 */
const History = temporal.api.history.v1.History;

export function historyToFile(history: temporal.api.history.v1.IHistory): string {
  const message = History.fromObject(history);
  return `${JSON.stringify(History.toObject(message, { longs: String, bytes: String, enums: Number }), null, 1)}\n`;
}

export function historyFromFile(text: string): temporal.api.history.v1.History {
  return History.fromObject(JSON.parse(text));
}
