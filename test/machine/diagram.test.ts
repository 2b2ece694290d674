/**
 * docs/journey.md is the statechart rendered by `npm run diagram`: it must match the machine, and
 * the Mermaid must be well-formed (balanced blocks, ids Mermaid accepts, every state and every
 * transition of the machine drawn).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AnyStateNode } from 'xstate';
import { journeyMachine } from '../../machines/journeyMachine';
import { mermaidId, renderJourneyDiagram, renderJourneyDocument } from '../../scripts/journeyDiagram';

const docPath = path.resolve(__dirname, '../../docs/journey.md');
const diagram = renderJourneyDiagram();
const lines = diagram.trimEnd().split('\n');

const allNodes = (node: AnyStateNode): AnyStateNode[] => [
  node,
  ...Object.values(node.states).flatMap(allNodes),
];
const nodes = allNodes(journeyMachine.root).slice(1);

const ID = '[A-Za-z][A-Za-z0-9_]*';
const forms = {
  header: /^stateDiagram-v2$/,
  initial: new RegExp(`^\\[\\*\\] --> (${ID})$`),
  final: new RegExp(`^(${ID}) --> \\[\\*\\]$`),
  edge: new RegExp(`^(${ID}) --> (${ID}) : ([A-Z_]+(?:, [A-Z_]+)*(?: \\([A-Za-z, ]+\\))?)$`),
  leaf: new RegExp(`^state "([^"]+)" as (${ID})$`),
  open: new RegExp(`^state (${ID}) \\{$`),
  close: /^\}$/,
  region: /^--$/,
};

describe('docs/journey.md: the statechart as a Mermaid diagram', () => {
  it('is up to date with the machine', () => {
    const onDisk = readFileSync(docPath, 'utf8');
    if (onDisk !== renderJourneyDocument()) throw new Error('docs/journey.md is stale: run npm run diagram');
    expect(onDisk).toContain(`\`\`\`mermaid\n${diagram}\`\`\``);
  });

  it('is deterministic', () => {
    expect(renderJourneyDiagram()).toBe(diagram);
  });

  it('has only lines Mermaid stateDiagram-v2 understands, with balanced blocks and ids without dots', () => {
    const unknown = lines
      .map((l) => l.trim())
      .filter((l) => !Object.values(forms).some((form) => form.test(l)));
    expect(unknown).toEqual([]);
    let depth = 0;
    for (const line of lines) {
      if (forms.open.test(line.trim())) depth++;
      if (forms.close.test(line.trim())) depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
      // `--` separates parallel regions, so it only appears inside a block.
      if (forms.region.test(line.trim())) expect(depth).toBeGreaterThan(0);
    }
    expect(depth).toBe(0);
    expect(lines[0]).toBe('stateDiagram-v2');
  });

  it('declares every state of the machine once, under a Mermaid-safe id, and nothing else', () => {
    const declared = lines.flatMap((l) => {
      const t = l.trim();
      return [forms.leaf.exec(t)?.[2], forms.open.exec(t)?.[1]].filter((x): x is string => !!x);
    });
    expect(declared.sort()).toEqual(nodes.map(mermaidId).sort());
    expect(new Set(declared).size).toBe(declared.length);
    expect(declared).toContain('stage_planning');
    // Every edge joins declared states.
    const used = lines.flatMap((l) => {
      const m = forms.edge.exec(l.trim()) ?? forms.initial.exec(l.trim()) ?? forms.final.exec(l.trim());
      return m ? m.slice(1, 3).filter((x) => x && /^[A-Za-z]/.test(x) && !x.includes(' ')) : [];
    });
    expect(used.filter((id) => !declared.includes(id))).toEqual([]);
  });

  it('separates the parallel regions of an open journey with --', () => {
    const open = lines.findIndex((l) => l.trim() === 'state open {');
    const regions = ['stage', 'complaints', 'safeguarding', 'hospital', 'advocacy'];
    const starts = regions.map((r) => lines.findIndex((l) => l.trim() === `state ${r} {`));
    expect(starts.every((i) => i > open)).toBe(true);
    for (const start of starts.slice(1)) expect(lines[start - 1]?.trim()).toBe('--');
  });

  it('draws every transition of the machine (those that only record something as a self-loop), labelled with its event', () => {
    const missing: string[] = [];
    for (const node of nodes) {
      for (const [eventType, definitions] of node.transitions) {
        for (const definition of definitions) {
          for (const target of definition.target ?? [node]) {
            const prefix = `${mermaidId(node)} --> ${mermaidId(target)} : `;
            const drawn = lines.some((l) => {
              const t = l.trim();
              return (
                t.startsWith(prefix) &&
                t
                  .slice(prefix.length)
                  .split(/[ ,(]+/)
                  .includes(eventType)
              );
            });
            if (!drawn) missing.push(`${prefix}${eventType}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
    // Guarded branches of one event read apart.
    expect(lines.map((l) => l.trim())).toEqual(
      expect.arrayContaining([
        'stage_triage --> closed : TRIAGED (informationAndAdvice)',
        'stage_triage --> stage_assessment : TRIAGED (assessment)',
        'stage_liveSupport --> stage_planning : DEADLINE_REACHED (directPaymentAgreementEnd)',
      ]),
    );
  });
});
