import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The rules' text (../shared/spec/JOURNEY.md), so a refusal's rule id can link to the rule it
 * names. Each rule is a list item starting "- **R-…**"; the headings above it group them. Where
 * the file is not beside the project (an installation without the spec), the pages show rule ids
 * without links.
 */

export interface RuleSection {
  heading: string;
  rules: { id: string; text: string }[];
}

export const defaultRulesFile = path.resolve(__dirname, '../../shared/spec/JOURNEY.md');

export function loadRules(file: string = defaultRulesFile): RuleSection[] | undefined {
  if (!existsSync(file)) return undefined;
  const sections: RuleSection[] = [];
  let section: RuleSection = { heading: 'Rules', rules: [] };
  let current: { id: string; text: string } | undefined;
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const heading = /^#{2,4}\s+(.*)$/.exec(line);
    const rule = /^- \*\*(R-[A-Z]+-\d+[a-z]?)\*\*\s*(.*)$/.exec(line);
    if (heading) {
      current = undefined;
      if (section.rules.length) sections.push(section);
      section = { heading: heading[1]!.trim(), rules: [] };
    } else if (rule) {
      current = { id: rule[1]!, text: rule[2]!.trim() };
      section.rules.push(current);
    } else if (current && /^\s+\S/.test(line)) {
      current.text += ` ${line.trim()}`;
    } else {
      current = undefined;
    }
  }
  if (section.rules.length) sections.push(section);
  // markdown emphasis and code as plain text
  for (const s of sections) for (const r of s.rules) r.text = r.text.replace(/\*\*|`/g, '');
  return sections;
}
