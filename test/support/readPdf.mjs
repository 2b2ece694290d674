// Reads a PDF's text back with Mozilla's pdf.js (pdfjs-dist), for the letter tests: every text
// item with its font size (from the text matrix) and font family, page by page, as JSON on stdout.
// A child process because pdfjs-dist is an ES module that Jest's CommonJS runtime cannot load.
import { readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const file = process.argv[2];
const pdf = await getDocument({
  data: new Uint8Array(readFileSync(file)),
  verbosity: 0,
  useSystemFonts: false,
}).promise;
const pages = [];
for (let n = 1; n <= pdf.numPages; n++) {
  const page = await pdf.getPage(n);
  const content = await page.getTextContent();
  pages.push(
    content.items
      .filter((item) => 'str' in item && item.str.length > 0)
      .map((item) => ({
        str: item.str,
        size: Math.round(Math.hypot(item.transform[0], item.transform[1]) * 100) / 100,
        x: Math.round(item.transform[4] * 100) / 100,
        family: content.styles[item.fontName]?.fontFamily,
      })),
  );
}
const { info } = await pdf.getMetadata();
process.stdout.write(JSON.stringify({ pages, info }));
