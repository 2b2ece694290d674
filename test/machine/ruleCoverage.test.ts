/**
 * Every rule JOURNEY.md defines (a bold **R-…** id) is cited by name in at least one test, and no
 * test cites a rule that does not exist. Only test names count (it / test / describe, including
 * `.each`), not comments or code, so a rule is covered only by a test that says it tests it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const journeyPath = path.resolve(__dirname, '../../../shared/spec/JOURNEY.md');
const testRoot = path.resolve(__dirname, '..');
const RULE_ID = /R-[A-Z]+-\d+/g;

/** The rule ids JOURNEY.md defines: `**R-XXX-N**`. */
export function definedRuleIds(markdown: string): string[] {
  return [...markdown.matchAll(/\*\*(R-[A-Z]+-\d+)\*\*/g)].map((m) => m[1] as string);
}

/**
 * The names of the tests and groups in a test file: the first string argument of `it(`, `test(`,
 * `describe(` and their `.each(table)(` forms. Skipped and todo tests (`it.skip`, `xit`) don't count.
 */
export function testNames(source: string): string[] {
  const call =
    /(?<![\w.$])(?:it|test|describe)(?:\.each\s*(?:\([\s\S]*?\)|`[\s\S]*?`))?\s*\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g;
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...code.matchAll(call)].map((m) => m[2] as string);
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('rule coverage (JOURNEY.md ↔ test names)', () => {
  const defined = definedRuleIds(readFileSync(journeyPath, 'utf8'));
  const cited = new Map<string, string[]>();
  for (const file of testFiles(testRoot)) {
    for (const name of testNames(readFileSync(file, 'utf8'))) {
      for (const id of name.match(RULE_ID) ?? []) {
        cited.set(id, [...(cited.get(id) ?? []), path.relative(testRoot, file)]);
      }
    }
  }

  it('reads the rule definitions from JOURNEY.md (including every rule the issue lists)', () => {
    const expected = [
      ...['REF-1', 'REF-2', 'REF-3', 'REF-4', 'EMG-1', 'EMG-2'],
      ...['ASM-1', 'ASM-2', 'ASM-3', 'ASM-4', 'ASM-5', 'ASM-6', 'IB-1', 'IB-2', 'IB-3'],
      ...['PLN-1', 'PLN-2', 'PLN-3', 'PLN-4', 'PLN-5', 'PB-1', 'PB-2', 'PB-3', 'SGN-1', 'SGN-2', 'SGN-3'],
      ...['ACT-1', 'ACT-2', 'REV-1', 'REV-2', 'REV-3', 'REV-4', 'REV-5', 'REV-6', 'REV-7', 'REV-8', 'REV-9'],
      ...['END-1', 'END-2', 'END-3', 'TRF-1', 'TRF-2', 'HSP-1', 'DTH-1', 'CMP-1', 'SFG-1', 'CAR-1'],
    ].map((id) => `R-${id}`);
    expect(defined).toEqual(expect.arrayContaining(expected));
    expect(new Set(defined).size).toBe(defined.length); // each rule defined once
  });

  it('finds test names the way Jest declares them (and ignores comments and skipped tests)', () => {
    // (No rule ids in the sample: this file's own names are scanned too.)
    const sample = [
      "describe('sample 1 group', () => {",
      "  it('sample 2: plain', () => {});",
      '  it.each([[1, 2]] as const)("sample 3: table %s", () => {});',
      '  test(`sample 4: template`, () => {});',
      "  // it('sample 5: commented out')",
      "  it.skip('sample 6: skipped', () => {});",
      "  xit('sample 7: skipped', () => {});",
      "  expect(reasons).toContain('sample 8');",
      '});',
    ].join('\n');
    const names = testNames(sample);
    expect(names).toEqual(['sample 1 group', 'sample 2: plain', 'sample 3: table %s', 'sample 4: template']);
  });

  it('every rule in JOURNEY.md is cited by at least one test name', () => {
    const uncovered = defined.filter((id) => !cited.has(id));
    if (uncovered.length) {
      throw new Error(`rules with no test citing them in its name: ${uncovered.join(', ')}`);
    }
    expect(uncovered).toEqual([]);
  });

  it('no test name cites a rule JOURNEY.md does not define', () => {
    const unknown = [...cited.keys()].filter((id) => !defined.includes(id));
    expect(unknown.map((id) => `${id} (${cited.get(id)?.join(', ')})`)).toEqual([]);
  });
});
