import type { AnyStateNode } from 'xstate';
import { journeyMachine } from '../machines/journeyMachine';
import { stageWords, type Stage } from '../machines/stages';
import { eventInWords, plainWords } from './words';

/**
 * The journey map (issue 13 point 5): the main stages and the events that move a journey between
 * them, read from the XState machine itself (as scripts/journeyDiagram.ts reads it for
 * docs/journey.md), drawn as SVG on the server, with the same edges as a table.
 */

export interface StageEdge {
  from: string;
  to: string;
  events: string[];
}

const root = journeyMachine.root;
const stageRegion = root.states.open!.states.stage!;

/** The main stage a state node belongs to; 'open' for the open journey as a whole (events at any stage). */
function stageOf(node: AnyStateNode): string | undefined {
  for (let n: AnyStateNode | undefined = node; n; n = n.parent) {
    if (n.parent === stageRegion || n.parent === root) return n.key;
  }
  return undefined;
}

function stageEdges(): StageEdge[] {
  const edges = new Map<string, StageEdge>();
  const walk = (node: AnyStateNode) => {
    for (const [event, definitions] of node.transitions) {
      for (const definition of definitions) {
        for (const target of definition.target ?? []) {
          const from = stageOf(node);
          const to = stageOf(target);
          if (!from || !to || from === to) continue;
          const key = `${from}→${to}`;
          const edge = edges.get(key) ?? { from, to, events: [] };
          if (!edge.events.includes(event)) edge.events.push(event);
          edges.set(key, edge);
        }
      }
    }
    Object.values(node.states).forEach(walk);
  };
  walk(root);
  return [...edges.values()];
}

/** The stages in the machine's order, closed last. */
export const mapStages: string[] = [...Object.keys(stageRegion.states), 'closed'];
export const mapEdges: StageEdge[] = stageEdges();

/** A stage in words; a step within one (interimSupport.inPlace) as the stage and the step. */
export function stageName(stage: string): string {
  if (stage === 'open') return 'Any open stage';
  const [main, ...step] = stage.split('.');
  const words = stageWords[main as Stage] ?? main!;
  return step.length ? `${words} (${step.map(plainWords).join(', ')})` : words;
}

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** The map as SVG; `current` (a stage id) is drawn highlighted. */
export function journeyMapSvg(current?: string): string {
  const boxWidth = 440;
  const boxHeight = 34;
  const gap = 20;
  const left = 170;
  const top = 10;
  const y = (i: number) => top + i * (boxHeight + gap) + boxHeight / 2;
  const index = new Map(mapStages.map((s, i) => [s, i]));
  const height = top * 2 + mapStages.length * (boxHeight + gap);
  const width = left + boxWidth + 200;
  const parts: string[] = [];
  for (const edge of mapEdges) {
    if (edge.from === 'open') continue; // listed in the table: from any stage
    const i = index.get(edge.from);
    const j = index.get(edge.to);
    if (i === undefined || j === undefined) continue;
    const reach = 24 + 11 * Math.abs(j - i);
    // forward edges on the right, backward on the left
    const x = j > i ? left + boxWidth : left;
    const bend = j > i ? x + reach : x - reach;
    parts.push(
      `<path d="M${x} ${y(i)} C${bend} ${y(i)} ${bend} ${y(j)} ${x} ${y(j)}" fill="none" stroke="#505a5f" stroke-width="1.5" marker-end="url(#arrow)"><title>${escape(
        `${stageName(edge.from)} to ${stageName(edge.to)}: ${edge.events.map(eventInWords).join(', ')}`,
      )}</title></path>`,
    );
  }
  mapStages.forEach((stage, i) => {
    const isCurrent = stage === current;
    parts.push(
      `<g${isCurrent ? ' class="app-map-current"' : ''}><rect x="${left}" y="${y(i) - boxHeight / 2}" width="${boxWidth}" height="${boxHeight}" rx="4" fill="${isCurrent ? '#1d70b8' : '#ffffff'}" stroke="#0b0c0c" stroke-width="${isCurrent ? 3 : 1.5}"/>` +
        `<text x="${left + 12}" y="${y(i) + 5}" font-size="14" font-family="GDS Transport, arial, sans-serif" fill="${isCurrent ? '#ffffff' : '#0b0c0c'}"${isCurrent ? ' font-weight="bold"' : ''}>${escape(
          stageName(stage) + (isCurrent ? ' (current stage)' : ''),
        )}</text></g>`,
    );
  });
  const title = current
    ? `The journey's stages; the current stage is ${stageName(current)}`
    : "The journey's stages";
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px" role="img" aria-labelledby="journey-map-title journey-map-desc">`,
    `<title id="journey-map-title">${escape(title)}</title>`,
    `<desc id="journey-map-desc">Each box is a stage; each arrow an event that moves the journey from one stage to another (forward on the right, back on the left). The table lists every arrow.</desc>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="#505a5f"/></marker></defs>`,
    ...parts,
    '</svg>',
  ].join('\n');
}
