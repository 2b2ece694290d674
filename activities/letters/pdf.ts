import { parseDocument } from 'htmlparser2';
import type { ChildNode, Element } from 'domhandler';
import PDFDocument from 'pdfkit';
import type { LetterFormat } from '../personDetails';

/**
 * A letter's HTML laid out as a PDF with pdfkit: the same template makes both, so what a council
 * edits is what is printed. The fonts and sizes come from the format: large print is 18 point
 * Helvetica (a clear sans-serif), left aligned, with generous line and paragraph spacing and no
 * italics, after RNIB's clear print guidance (at least 16 point for large print).
 */

interface Sizes {
  body: number;
  h1: number;
  h2: number;
  h3: number;
  /** extra space between lines, as a share of the font size */
  lineGap: number;
  /** space after a paragraph, in lines */
  paragraphGap: number;
}

export const formatSizes: Record<LetterFormat, Sizes> = {
  standard: { body: 12, h1: 18, h2: 14, h3: 12.5, lineGap: 0.3, paragraphGap: 0.6 },
  largePrint: { body: 18, h1: 24, h2: 21, h3: 19, lineGap: 0.5, paragraphGap: 0.8 },
  easyRead: { body: 16, h1: 22, h2: 19, h3: 17, lineGap: 0.6, paragraphGap: 1 },
};

const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';

/** A run of text in one font. */
interface Run {
  text: string;
  bold: boolean;
}

/** A block the PDF lays out: a heading, a paragraph or a list item, as runs of text. */
interface Block {
  kind: 'h1' | 'h2' | 'h3' | 'p' | 'li';
  runs: Run[];
}

const blockTags = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'li', 'dt', 'dd', 'address']);
const skipTags = new Set(['head', 'style', 'script', 'title', 'template']);

const isElement = (node: ChildNode): node is Element => node.type === 'tag';

/** The inline runs of a block, with HTML's whitespace collapsed and <br> as a line break. */
function runsOf(nodes: ChildNode[], bold: boolean, out: Run[] = []): Run[] {
  for (const node of nodes) {
    if (node.type === 'text') {
      const text = node.data.replace(/\s+/g, ' ');
      if (text) out.push({ text, bold });
    } else if (isElement(node)) {
      if (skipTags.has(node.name)) continue;
      if (node.name === 'br') out.push({ text: '\n', bold });
      else runsOf(node.children, bold || node.name === 'strong' || node.name === 'b', out);
    }
  }
  return out;
}

/** Trims the block's runs at its edges and around line breaks; drops what is left empty. */
function tidy(runs: Run[]): Run[] {
  const joined: Run[] = [];
  for (const run of runs) {
    const last = joined.at(-1);
    if (last && last.bold === run.bold) last.text += run.text;
    else joined.push({ ...run });
  }
  for (const run of joined) run.text = run.text.replace(/ *\n */g, '\n');
  if (joined[0]) joined[0].text = joined[0].text.replace(/^ +/, '');
  const end = joined.at(-1);
  if (end) end.text = end.text.replace(/ +$/, '');
  return joined.filter((r) => r.text.length > 0);
}

function blocksOf(nodes: ChildNode[], out: Block[] = []): Block[] {
  for (const node of nodes) {
    if (!isElement(node) || skipTags.has(node.name)) continue;
    if (blockTags.has(node.name)) {
      const heading = /^h[1-6]$/.test(node.name);
      const kind: Block['kind'] =
        node.name === 'h1'
          ? 'h1'
          : node.name === 'h2'
            ? 'h2'
            : heading
              ? 'h3'
              : node.name === 'li'
                ? 'li'
                : 'p';
      const runs = tidy(runsOf(node.children, heading));
      if (runs.length) out.push({ kind, runs });
    } else {
      blocksOf(node.children, out);
    }
  }
  return out;
}

/**
 * The PDF of a letter's HTML. Deterministic: the same letter gives the same bytes (the dates in the
 * PDF's information are the letter's own date), so a retried letter is recognised as already sent.
 */
export function htmlToPdf(
  html: string,
  options: { format: LetterFormat; title: string; letterId: string; dated: Date },
): Promise<Buffer> {
  const sizes = formatSizes[options.format];
  const margin = options.format === 'standard' ? 56 : 64;
  const doc = new PDFDocument({
    size: 'A4',
    margin,
    lang: 'en-GB',
    displayTitle: true,
    info: {
      Title: options.title,
      Subject: options.letterId,
      Creator: 'care-journeys',
      Producer: 'care-journeys',
      CreationDate: options.dated,
      ModDate: options.dated,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * margin;
  const bullet = sizes.body * 1.2;
  for (const block of blocksOf(parseDocument(html).children)) {
    const size = block.kind === 'li' || block.kind === 'p' ? sizes.body : sizes[block.kind];
    if (block.kind !== 'li' && block.kind !== 'p') doc.moveDown(0.3);
    const lineGap = size * sizes.lineGap;
    let x = margin;
    if (block.kind === 'li') {
      const y = doc.y;
      doc.font(REGULAR).fontSize(size).text('•', margin, y, { lineGap, lineBreak: false });
      doc.y = y;
      x = margin + bullet;
    }
    block.runs.forEach((run, i) => {
      const textOptions = {
        width: width - (x - margin),
        align: 'left' as const,
        lineGap,
        continued: i < block.runs.length - 1,
      };
      doc.font(run.bold ? BOLD : REGULAR).fontSize(size);
      if (i === 0) doc.text(run.text, x, doc.y, textOptions);
      else doc.text(run.text, textOptions);
    });
    doc.x = margin;
    doc.moveDown(block.kind === 'li' ? sizes.paragraphGap / 2 : sizes.paragraphGap);
  }
  doc.end();
  return done;
}
