/**
 * THE TEST PAYLOAD KEY — checked in on purpose, NOT SECRET, NEVER FOR REAL DATA.
 *
 * The tests' clients and workers encrypt payloads (issue 14) under this fixed key, and the
 * histories in test/histories/ are recorded under it (test/histories/record.ts), so that the
 * replay test can decrypt them years later. Its id says what it is wherever it appears in a
 * payload's metadata. A council's own keys go in CARE_PAYLOAD_KEYS (README, docs/data-protection.md).
 */
export const TEST_ONLY_PAYLOAD_KEY_ID = 'TEST-ONLY-not-secret';
export const TEST_ONLY_PAYLOAD_KEY_BASE64 = 'wYtex5gFS6sN7U8bNpg01XPsTsiInEVpGw9IUf9J5Q4=';

/** The settings that give loadConfig the test key. */
export const testPayloadKeySettings = {
  CARE_PAYLOAD_KEYS: `${TEST_ONLY_PAYLOAD_KEY_ID}:${TEST_ONLY_PAYLOAD_KEY_BASE64}`,
  CARE_PAYLOAD_KEY_CURRENT: TEST_ONLY_PAYLOAD_KEY_ID,
} as const;

/**
 * Makes the test key this process's (and its children's) payload key: the jest global setup calls
 * it, so every test's `loadConfig({ ...process.env, ... })` shares it; so does the recorder.
 */
export function useTestPayloadKeys(): void {
  Object.assign(process.env, testPayloadKeySettings);
}
