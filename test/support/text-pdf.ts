/**
 * A minimal PDF written by hand: one page per entry of `pages`, each line in Helvetica, no text
 * compression. Enough for poppler to render and tesseract to read, so OCR tests need no binary
 * fixtures. Not a general PDF writer.
 */

const pdfString = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);

/** A PDF whose pages show `pages[i]` (lines top to bottom) at `fontSize` points on A4. */
export function textPdf(pages: string[][], fontSize = 20): Buffer {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body) - 1 + 1; // 1-based object numbers
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  const pagesId = objects.length + 1;
  objects.push(''); // the page tree, filled in below
  const kids: number[] = [];
  for (const lines of pages) {
    const leading = Math.round(fontSize * 1.6);
    const ops = lines.map((l, i) => `${i === 0 ? '' : `0 -${leading} Td `}(${pdfString(l)}) Tj`).join('\n');
    const content = `BT /F1 ${fontSize} Tf 60 780 Td\n${ops}\nET`;
    const stream = add(
      `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    );
    kids.push(
      add(
        `<< /Type /Page /Parent ${pagesId} 0 R /MediaBox [0 0 595 842] /Contents ${stream} 0 R /Resources << /Font << /F1 ${font} 0 R >> >> >>`,
      ),
    );
  }
  objects[pagesId - 1] =
    `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  const catalog = add(`<< /Type /Catalog /Pages ${pagesId} 0 R >>`);
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
