/**
 * The shipped policy profiles and their sources (JOURNEY.md: "Every number in a profile names its
 * source (a policy file and section) or says plainly that it is a local choice"), and R-PB-3's
 * two budget formulas (machines/personalBudget.ts).
 *
 * A source is checked against the policy texts themselves: the file abbreviation must be one
 * JOURNEY.md defines, the section or heading must exist in that file, and a quotation in
 * parentheses after a citation — ('…') — must be in it word for word ("…" marks a gap).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../temporal.config';
import {
  councilContributionFrom,
  personalBudgetFormulaInWords,
  personalBudgetFrom,
  type BudgetCosting,
} from '../../machines/personalBudget';
import {
  derbyCity,
  derbyshire,
  lancashire,
  ownPolicyFiles,
  policyFiles,
  policyProfileSources,
  policyProfiles,
  type PolicyProfileName,
} from '../../machines/policyProfile';
import { policyProfileSchema } from '../../machines/policyProfileSchema';

const sharedDir = path.resolve(__dirname, '../../../shared');
const journeyMd = readFileSync(path.join(sharedDir, 'spec/JOURNEY.md'), 'utf8');

/** JOURNEY.md's list of policy files: "- `000_….txt` Title — cited as **SBS**". */
const journeyFiles = new Map(
  [...journeyMd.matchAll(/^- `(\d{3}_[0-9a-f]+\.txt)`.*\*\*([A-Z]{2,})\*\*\s*$/gm)].map((m) => [
    m[2] as string,
    m[1] as string,
  ]),
);
const policyText = new Map(
  [...journeyFiles].map(([abbr, file]) => [abbr, readFileSync(path.join(sharedDir, 'policy', file), 'utf8')]),
);

const normalise = (s: string) =>
  s
    .replace(/[’‘]/g, "'")
    .replace(/\*\*|\*/g, '')
    .replace(/\s+/g, ' ')
    .toLowerCase();

/** "SBS §9", "DCC §7.10.4", "REV 'Review Frequency'": the file, and a section number or heading. */
const CITATION = /\b([A-Z]{2,5})\s+(?:§\s*(\d+(?:\.\d+)*)|'([^']+)')/g;
/** A quotation: '…' opened after "(" or "; " and closed before ")", ";", "," or ":". */
const QUOTATION = /(?<=[(;]\s?)'(.+?)'(?=[);,:])/g;

type Leaf = { path: string; value: unknown; source: unknown };

/** Every leaf of a profile with the source at the same path; an empty record is a leaf too. */
function leaves(value: unknown, source: unknown, at = ''): { leaves: Leaf[]; problems: string[] } {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(value) || Object.keys(value).length === 0) {
    return { leaves: [{ path: at, value, source }], problems: [] };
  }
  if (!isObject(source))
    return { leaves: [], problems: [`${at || '(profile)'}: no sources for its settings`] };
  const problems = Object.keys(source)
    .filter((key) => !(key in value))
    .map((key) => `${at}${at ? '.' : ''}${key}: a source for a setting the profile does not have`);
  const found: Leaf[] = [];
  for (const [key, child] of Object.entries(value)) {
    const result = leaves(child, source[key], `${at}${at ? '.' : ''}${key}`);
    found.push(...result.leaves);
    problems.push(...result.problems);
  }
  return { leaves: found, problems };
}

/** What is wrong with one leaf's source, for a profile whose own policies are `own`. */
function problemsOf(leaf: Leaf, own: readonly string[]): string[] {
  const { path: at, source } = leaf;
  if (typeof source !== 'string' || source.trim() === '') return [`${at}: no source`];
  const problems: string[] = [];
  const citations = [...source.matchAll(CITATION)];
  const localChoice = /^local choice: .{20,}/.test(source);
  if (!localChoice && citations.length === 0) {
    problems.push(`${at}: "${source}" cites no policy file and section and is not "local choice: <why>"`);
  }
  for (const [cited, abbr, section, heading] of citations) {
    const text = policyText.get(abbr as string);
    if (!text) {
      problems.push(`${at}: "${cited}" cites ${abbr}, which JOURNEY.md does not define`);
      continue;
    }
    if (section !== undefined) {
      const escaped = section.replace(/\./g, '\\.');
      if (!new RegExp(`^[#\\s]*${escaped}\\.?\\s`, 'm').test(text)) {
        problems.push(`${at}: ${abbr} has no section ${section}`);
      }
    } else if (!normalise(text).includes(normalise(heading as string))) {
      problems.push(`${at}: ${abbr} has no heading '${heading}'`);
    }
    if (!own.includes(abbr as string) && !/says? nothing/.test(source)) {
      problems.push(
        `${at}: cites ${abbr}, not this council's own policy, without saying its own say nothing`,
      );
    }
  }
  for (const quote of source.matchAll(QUOTATION)) {
    const before = citations.filter((c) => (c.index ?? 0) < (quote.index ?? 0)).at(-1);
    const text = before && policyText.get(before[1] as string);
    if (!text) {
      problems.push(`${at}: the quotation '${quote[1]}' follows no citation`);
      continue;
    }
    const fragments = (quote[1] as string).split('…').map((f) => normalise(f).trim());
    let from = 0;
    for (const fragment of fragments) {
      const found = normalise(text).indexOf(fragment, from);
      if (found < 0) {
        problems.push(`${at}: ${before[1]} does not say '${fragment}'`);
        break;
      }
      from = found + fragment.length;
    }
  }
  return problems;
}

const names = Object.keys(policyProfiles) as PolicyProfileName[];

describe('policy profiles: every number and choice names its source', () => {
  it('JOURNEY.md defines the policy files the profiles may cite (SBS, DCC, ASM, REV, LAN)', () => {
    expect([...journeyFiles.keys()].sort()).toEqual(Object.keys(policyFiles).sort());
    expect([...journeyFiles.keys()].sort()).toEqual(['ASM', 'DCC', 'LAN', 'REV', 'SBS']);
  });

  it('ships Derbyshire (the default), Lancashire and Derby City, each with its sources', () => {
    expect(names).toEqual(['derbyshire', 'lancashire', 'derbyCity']);
    expect(Object.keys(policyProfileSources).sort()).toEqual([...names].sort());
    expect(Object.keys(ownPolicyFiles).sort()).toEqual([...names].sort());
  });

  it.each(names)('%s parses with the schema, unchanged', (name) => {
    const profile = policyProfiles[name];
    expect(policyProfileSchema.parse(profile)).toEqual(profile);
  });

  it.each(names)('%s: every setting has a source that checks against the policy texts', (name) => {
    const { leaves: all, problems } = leaves(policyProfiles[name], policyProfileSources[name]);
    expect(all.length).toBeGreaterThan(40);
    expect([...problems, ...all.flatMap((leaf) => problemsOf(leaf, ownPolicyFiles[name]))]).toEqual([]);
  });

  it('the checks fail on a missing source, an undefined file, a missing section and a misquotation', () => {
    const check = (source: unknown, own: readonly string[] = ['SBS', 'ASM', 'REV']) =>
      problemsOf({ path: 'x', value: 1, source }, own);
    expect(check(undefined)).toEqual(['x: no source']);
    expect(check('12 months')).toHaveLength(1);
    expect(check('local choice')).toHaveLength(1);
    expect(check('XYZ §3')[0]).toMatch(/XYZ, which JOURNEY.md does not define/);
    expect(check('SBS §42')[0]).toMatch(/no section 42/);
    expect(check("REV 'Review Cadence'")[0]).toMatch(/no heading/);
    expect(check("SBS §9 ('informal review at 48 hours')")[0]).toMatch(/does not say/);
    expect(check("DCC §7.11 ('4 weeks notice in writing')")[0]).toMatch(/without saying/);
    expect(check("DCC §7.11 ('4 weeks notice in writing'; Derbyshire's own policies say nothing)")).toEqual(
      [],
    );
    const missing = leaves({ a: { b: 1 } }, { a: {}, c: 'SBS §9' });
    expect(missing.problems).toEqual(['c: a source for a setting the profile does not have']);
    expect(missing.leaves.flatMap((leaf) => problemsOf(leaf, ['SBS']))).toEqual(['a.b: no source']);
  });

  it('CARE_POLICY_PROFILE=derbyCity selects the Derby City profile', () => {
    expect(loadConfig({ CARE_POLICY_PROFILE: 'derbyCity' }).policyProfile).toBe(derbyCity);
    expect(loadConfig({}).policyProfile).toBe(derbyshire);
  });

  it('a JSON profile written before the budget setting parses with the budget net of the contribution', () => {
    const { budget: _budget, ...older } = lancashire;
    expect(policyProfileSchema.parse(older).budget).toEqual({
      personalBudget: 'netOfContribution',
      // nor does it let a manager override the indicative budget (R-IB-2, edition 3)
      managerMayOverrideIndicativeBudget: false,
    });
  });
});

describe('where the profiles differ, from their own policies', () => {
  it('R-REV-1 / R-REV-2: Lancashire has no 72-hour review by default and a light-touch first review at 6–8 weeks (LAN §3.7)', () => {
    expect(lancashire.reviews.informalReviewByDefault).toBe(false);
    expect(lancashire.reviews.firstReview).toEqual({ form: 'lightTouch', dueWeeks: 6, overdueWeeks: 8 });
    expect(derbyshire.reviews.firstReview.form).toBe('formal');
    expect(derbyCity.reviews.firstReview.form).toBe('formal');
  });

  it('R-PB-3: Lancashire’s personal budget includes the contribution (LAN §2.4); Derbyshire and Derby City’s is net of it (DCC §4.3)', () => {
    expect(lancashire.budget.personalBudget).toBe('includesContribution');
    expect(derbyshire.budget.personalBudget).toBe('netOfContribution');
    expect(derbyCity.budget.personalBudget).toBe('netOfContribution');
  });
});

describe('R-PB-3 the personal budget from the costing, by the profile’s formula', () => {
  const costing: BudgetCosting = {
    reasonableCost: 12_000,
    assessedContribution: 1_500,
    otherFunding: 500,
    s117Aftercare: false,
  };

  it('R-PB-3: net of the contribution (DCC §4.3): reasonable cost − assessed contribution − other funding', () => {
    expect(personalBudgetFrom(derbyshire, costing)).toBe(10_000);
    expect(personalBudgetFrom(derbyCity, costing)).toBe(10_000);
    expect(councilContributionFrom(derbyshire, costing)).toBe(10_000);
    expect(personalBudgetFormulaInWords(derbyshire)).toBe(
      'the reasonable cost less the assessed contribution and other funding',
    );
  });

  it('R-PB-3: including the contribution (LAN §2.4): reasonable cost − other funding; the council pays the rest', () => {
    expect(personalBudgetFrom(lancashire, costing)).toBe(11_500);
    expect(councilContributionFrom(lancashire, costing)).toBe(10_000);
    expect(personalBudgetFormulaInWords(lancashire)).toMatch(/includes the assessed contribution/);
  });

  it('R-PB-3: s117 aftercare is free — no contribution under either formula', () => {
    const s117 = { ...costing, s117Aftercare: true };
    expect(personalBudgetFrom(derbyshire, s117)).toBe(11_500);
    expect(personalBudgetFrom(lancashire, s117)).toBe(11_500);
    expect(councilContributionFrom(lancashire, s117)).toBe(11_500);
  });

  it('R-PB-3: never below zero; a full-cost payer’s council contribution is zero', () => {
    const fullCost = { ...costing, assessedContribution: 20_000 };
    expect(personalBudgetFrom(derbyshire, fullCost)).toBe(0);
    expect(personalBudgetFrom(lancashire, fullCost)).toBe(11_500);
    expect(councilContributionFrom(lancashire, fullCost)).toBe(0);
    expect(personalBudgetFrom(lancashire, { ...costing, otherFunding: 13_000 })).toBe(0);
  });

  it('R-PB-3: to the penny; a carried profile without the setting keeps the net formula', () => {
    const pence = { reasonableCost: 0.3, assessedContribution: 0.1, otherFunding: 0.1, s117Aftercare: false };
    expect(personalBudgetFrom(derbyshire, pence)).toBe(0.1);
    expect(personalBudgetFrom({}, costing)).toBe(10_000);
    expect(personalBudgetFrom({ budget: {} }, costing)).toBe(10_000);
  });
});
