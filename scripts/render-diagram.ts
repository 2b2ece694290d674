/**
 * `npm run diagram`: writes docs/journey.md, the journey statechart as a Mermaid diagram
 * (scripts/journeyDiagram.ts). test/machine/diagram.test.ts fails while the file is stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderJourneyDocument } from './journeyDiagram';

const file = path.resolve(__dirname, '../docs/journey.md');
mkdirSync(path.dirname(file), { recursive: true });
writeFileSync(file, renderJourneyDocument());
console.log(`wrote ${path.relative(process.cwd(), file)}`);
