/**
 * Renders the journey statechart (machines/journeyMachine.ts) as a Mermaid `stateDiagram-v2`, for
 * docs/journey.md (`npm run diagram`; test/machine/diagram.test.ts keeps the file up to date).
 *
 * Compound states become `state id { … }` with `[*] -->` their initial state; the parallel regions
 * of an open journey are separated by `--`; each transition with a target is an edge labelled with
 * its event type (and the guard's parameters, so guarded branches read apart), written in the
 * innermost composite that holds both ends. Events that only record something, without changing
 * state, are a self-loop listing them. Ids are the state path joined by `_` ("stage_planning"):
 * Mermaid does not accept dots in state ids. The order follows the machine definition, so the
 * output is deterministic.
 */
import type { AnyStateNode } from 'xstate';
import { journeyMachine } from '../machines/journeyMachine';
import { stageWords } from '../machines/stages';

/** `journey.open.stage.planning` → `stage_planning`; `journey.open` → `open`. */
export function mermaidId(node: AnyStateNode): string {
  const path = node.path.length > 1 && node.path[0] === 'open' ? node.path.slice(1) : node.path;
  return path.length ? path.join('_') : 'journey';
}

function label(node: AnyStateNode): string {
  const words = node.parent?.key === 'stage' ? stageWords[node.key as keyof typeof stageWords] : undefined;
  return words ?? node.key;
}

/** What a guard adds to the edge label: the named guards and parameters besides the rule book. */
function guardWords(guard: unknown): string[] {
  if (!guard) return [];
  // The rule book, and which edition of it judges a journey, are not branches of the journey.
  if (typeof guard === 'string') return guard === 'rulesMet' || /^edition\d+$/.test(guard) ? [] : [guard];
  const g = guard as { guards?: unknown[]; type?: string; params?: Record<string, unknown>; name?: string };
  if (typeof guard === 'function' && g.name === 'not' && Array.isArray(g.guards))
    return g.guards.flatMap(guardWords).map((word) => `not ${word}`);
  if (Array.isArray(g.guards)) return g.guards.flatMap(guardWords);
  if (g.params) return Object.values(g.params).map(String);
  if (typeof g.type === 'string') return [g.type];
  return ['condition'];
}

interface Edge {
  scope: AnyStateNode;
  line: string;
}

const children = (node: AnyStateNode): AnyStateNode[] => Object.values(node.states);

/** The innermost compound (not parallel) state that contains both ends of a transition. */
function scopeOf(source: AnyStateNode, target: AnyStateNode): AnyStateNode {
  const ancestors = (n: AnyStateNode) => {
    const list: AnyStateNode[] = [];
    for (let p = n.parent; p; p = p.parent) list.push(p);
    return list;
  };
  const targetAncestors = new Set(ancestors(target));
  let scope = ancestors(source).find((a) => targetAncestors.has(a)) ?? journeyMachine.root;
  while (scope.type === 'parallel' && scope.parent) scope = scope.parent;
  return scope;
}

function edgesOf(node: AnyStateNode): Edge[] {
  const edges: Edge[] = [];
  const recorded: string[] = [];
  for (const [eventType, definitions] of node.transitions) {
    let guardedBefore = false;
    for (const definition of definitions) {
      const targets = definition.target ?? [];
      const words = guardWords(definition.guard);
      // A branch taken only when the ones before it were not: say so.
      const condition = words.length ? words : guardedBefore ? ['otherwise'] : [];
      guardedBefore ||= words.length > 0;
      if (!targets.length) {
        if (!recorded.includes(eventType)) recorded.push(eventType);
        continue;
      }
      const text = condition.length ? `${eventType} (${condition.join(', ')})` : eventType;
      for (const target of targets) {
        edges.push({
          scope: scopeOf(node, target),
          line: `${mermaidId(node)} --> ${mermaidId(target)} : ${text}`,
        });
      }
    }
  }
  if (recorded.length) {
    const scope = node.parent?.type === 'parallel' || !node.parent ? scopeOf(node, node) : node.parent;
    edges.push({ scope, line: `${mermaidId(node)} --> ${mermaidId(node)} : ${recorded.join(', ')}` });
  }
  return [...edges, ...children(node).flatMap(edgesOf)];
}

/** The Mermaid source of the journey statechart. */
export function renderJourneyDiagram(): string {
  const root = journeyMachine.root;
  const edges = edgesOf(root);
  const seen = new Set<string>();
  const edgesIn = (scope: AnyStateNode) =>
    edges.filter((e) => e.scope === scope && !seen.has(e.line) && seen.add(e.line)).map((e) => e.line);

  const render = (node: AnyStateNode, indent: string): string[] => {
    const id = mermaidId(node);
    if (!children(node).length) {
      return [
        `${indent}state "${label(node)}" as ${id}`,
        ...(node.type === 'final' ? [`${indent}${id} --> [*]`] : []),
      ];
    }
    const inner = `${indent}  `;
    const body: string[] = [];
    if (node.type === 'parallel') {
      children(node).forEach((region, i) => {
        if (i > 0) body.push(`${inner}--`);
        body.push(...render(region, inner));
      });
    } else {
      for (const initial of node.initial?.target ?? []) body.push(`${inner}[*] --> ${mermaidId(initial)}`);
      for (const child of children(node)) body.push(...render(child, inner));
      body.push(...edgesIn(node).map((line) => `${inner}${line}`));
    }
    return [`${indent}state ${id} {`, ...body, `${indent}}`];
  };

  const lines = ['stateDiagram-v2'];
  for (const initial of root.initial?.target ?? []) lines.push(`  [*] --> ${mermaidId(initial)}`);
  for (const child of children(root)) lines.push(...render(child, '  '));
  lines.push(...edgesIn(root).map((line) => `  ${line}`));
  const unplaced = edges.filter((e) => !seen.has(e.line));
  if (unplaced.length)
    throw new Error(`edges with no place in the diagram: ${unplaced.map((e) => e.line).join('; ')}`);
  return `${lines.join('\n')}\n`;
}

/** docs/journey.md: a short introduction, then the diagram. */
export function renderJourneyDocument(): string {
  return [
    '# The journey statechart',
    '',
    '<!-- Generated by `npm run diagram` from machines/journeyMachine.ts (scripts/journeyDiagram.ts). Do not edit. -->',
    '',
    "One person's journey through adult social care (see the rules in `JOURNEY.md`), as the XState machine",
    'runs it. An open journey is at one main stage (`stage`) while complaints, safeguarding, hospital stays',
    'and advocacy run alongside it in parallel regions (separated by dashed lines). Every edge is an event;',
    'where one event can lead to different places, the guard that decides is shown in parentheses. Every',
    'transition is also held to the rule book (machines/rules.ts), which the diagram leaves out. Events',
    'that only record something, without changing state, are drawn as a loop on the state that accepts them.',
    '',
    '```mermaid',
    renderJourneyDiagram().trimEnd(),
    '```',
    '',
  ].join('\n');
}
