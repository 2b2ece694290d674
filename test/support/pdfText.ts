import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface PdfTextItem {
  str: string;
  /** the font size in points */
  size: number;
  /** where the text starts, in points from the left edge */
  x: number;
  /** pdf.js's family for the font: "sans-serif" for Helvetica */
  family: string | undefined;
}

export interface PdfText {
  pages: PdfTextItem[][];
  /** all the text, items joined by spaces and whitespace collapsed, for matching phrases */
  text: string;
  info: Record<string, unknown>;
}

/** A PDF's text read back by pdf.js (test/support/readPdf.mjs), with each item's font size. */
export function readPdf(pdf: Buffer | string): PdfText {
  let file = pdf as string;
  if (Buffer.isBuffer(pdf)) {
    file = path.join(mkdtempSync(path.join(tmpdir(), 'letter-pdf-')), 'letter.pdf');
    writeFileSync(file, pdf);
  }
  const out = execFileSync(process.execPath, [path.join(__dirname, 'readPdf.mjs'), file], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const parsed = JSON.parse(out) as { pages: PdfTextItem[][]; info: Record<string, unknown> };
  const text = parsed.pages
    .flat()
    .map((i) => i.str)
    .join(' ')
    .replace(/\s+/g, ' ');
  return { ...parsed, text };
}
