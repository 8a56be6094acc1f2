/**
 * The PDF reader on real invoices (../shared/corpora: ZUGFeRD/corpus, Apache-2.0; invoice2data,
 * MIT — see the corpora's PROVENANCE.json) and on hostile PDFs written here byte by byte:
 * each hostile case must end in the right DocumentError within its limit, and the process must
 * stay able to read the next document (RELIABILITY.md items 23, 24).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DocumentError } from '../../src/extract/extract.model.ts';
import { isPdf } from '../../src/extract/pdf/pdf.magic.ts';
import { PdfWorkerPool } from '../../src/extract/pdf/pdf.pool.ts';
import { closePdfReader, readPdf } from '../../src/extract/pdf/pdf.reader.ts';

const CORPORA = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpora');
const ZUGFERD = join(CORPORA, 'zugferd-corpus');

type PdfObject = string | { dict: string; stream: Buffer };

/** A PDF from numbered objects (object 1 is the catalog), with a correct xref table. */
function buildPdf(objects: PdfObject[], trailerExtra = ''): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  objects.forEach((o, i) => {
    offsets.push(length);
    const body =
      typeof o === 'string'
        ? Buffer.from(`${i + 1} 0 obj\n${o}\nendobj\n`, 'latin1')
        : Buffer.concat([
            Buffer.from(`${i + 1} 0 obj\n<< ${o.dict} /Length ${o.stream.length} >>\nstream\n`, 'latin1'),
            o.stream,
            Buffer.from('\nendstream\nendobj\n', 'latin1'),
          ]);
    parts.push(body);
    length += body.length;
  });
  const rows = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  parts.push(
    Buffer.from(
      `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${rows}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${length}\n%%EOF\n`,
      'latin1',
    ),
  );
  return Buffer.concat(parts);
}

/** One page showing `text`; `catalogExtra`/`extra` add entries and objects (numbered from 6). */
function onePage(text: string, catalogExtra = '', extra: PdfObject[] = [], trailerExtra = ''): Buffer {
  return buildPdf(
    [
      `<< /Type /Catalog /Pages 2 0 R ${catalogExtra} >>`,
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
      { dict: '', stream: Buffer.from(`BT /F1 12 Tf 72 760 Td (${text}) Tj ET`, 'latin1') },
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      ...extra,
    ],
    trailerExtra,
  );
}

/** `pages` pages, page i showing "Page i". */
function manyPages(pages: number): Buffer {
  const kids = Array.from({ length: pages }, (_, i) => `${4 + 2 * i} 0 R`).join(' ');
  const objects: PdfObject[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  for (let i = 0; i < pages; i++) {
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents ${5 + 2 * i} 0 R /Resources << /Font << /F1 3 0 R >> >> >>`,
      { dict: '', stream: Buffer.from(`BT /F1 12 Tf 72 760 Td (Page ${i + 1}) Tj ET`, 'latin1') },
    );
  }
  return buildPdf(objects);
}

/** A page whose content stream inflates from a few hundred KB to `mb` MB of spaces: slow and memory-hungry. */
function flateBomb(mb: number): Buffer {
  const bomb = deflateSync(Buffer.alloc(mb * 1024 * 1024, 0x20), { level: 9 });
  return buildPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
    { dict: '/Filter /FlateDecode', stream: bomb },
  ]);
}

async function failure(promise: Promise<unknown>): Promise<DocumentError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, String(err)).toBeInstanceOf(DocumentError);
  return err as DocumentError;
}

const hello = onePage('Invoice 2024-0042 Total EUR 1.190,00');

afterAll(async () => {
  await closePdfReader();
});

describe('isPdf', () => {
  it('recognises the %PDF- header at the start or after junk within the first 1 KiB', () => {
    expect(isPdf(hello)).toBe(true);
    expect(isPdf(Buffer.concat([Buffer.alloc(500, 0x20), hello]))).toBe(true);
    expect(isPdf(Buffer.concat([Buffer.alloc(2000, 0x20), hello]))).toBe(false);
    expect(isPdf(Buffer.from('PK\x03\x04 not a pdf'))).toBe(false);
    expect(isPdf(Buffer.alloc(0))).toBe(false);
  });
});

describe('readPdf on the corpora', () => {
  const index = JSON.parse(readFileSync(join(ZUGFERD, 'expected_index.json'), 'utf8')) as Array<{
    pdf: string;
    pages: number;
    embedded_xml: string;
  }>;

  it('reads every ZUGFeRD/Factur-X PDF: its page count, a text layer, and the embedded XML byte for byte', async () => {
    for (const row of index) {
      const pdf = await readPdf(readFileSync(join(ZUGFERD, row.pdf)), row.pdf);
      expect(pdf.pageCount, row.pdf).toBe(row.pages);
      expect(pdf.pages.join('').trim().length, row.pdf).toBeGreaterThan(0);
      const xml = pdf.attachments.find((a) => a.name === row.embedded_xml);
      expect(xml?.content.equals(readFileSync(join(ZUGFERD, `${row.pdf}.embedded.xml`))), row.pdf).toBe(true);
    }
  }, 120_000);

  it('reads the invoice2data invoices, each with text on its first page', async () => {
    const dir = join(CORPORA, 'invoice2data', 'compare');
    const files = readdirSync(dir).filter((f) => f.endsWith('.pdf'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const pdf = await readPdf(readFileSync(join(dir, file)), file);
      expect(pdf.pages[0]?.trim().length, file).toBeGreaterThan(0);
      expect(pdf.encrypted).toBe(false);
    }
  }, 60_000);

  it('with preferEInvoice, an e-invoice PDF comes back parsed without its text; a plain PDF with its text', async () => {
    const row = index.find((r) => r.pdf.endsWith('FX/EN16931_Einfach.pdf'))!;
    const fast = await readPdf(readFileSync(join(ZUGFERD, row.pdf)), 'einfach.pdf', { preferEInvoice: true });
    expect(fast.pages).toEqual([]);
    expect(fast.pageCount).toBe(2);
    expect(fast.warnings).toEqual([]);
    expect(fast.einvoice).toMatchObject({
      name: 'factur-x.xml',
      doc: { source: 'einfach.pdf', invoiceNumber: '471102', total: 529.87, method: 'einvoice-xml' },
    });
    const plain = await readPdf(hello, 'hello.pdf', { preferEInvoice: true });
    expect(plain.einvoice).toBeNull();
    expect(plain.pages[0]).toContain('Invoice 2024-0042');
    expect((await readPdf(readFileSync(join(ZUGFERD, row.pdf)), 'einfach.pdf')).einvoice).toBeNull();
  });

  it('leaves the caller’s buffer intact (the worker gets a copy)', async () => {
    const content = Buffer.from(hello);
    const pdf = await readPdf(content, 'hello.pdf');
    expect(pdf.pages[0]).toContain('Invoice 2024-0042');
    expect(content.equals(hello)).toBe(true);
  });
});

describe('readPdf on hostile PDFs', () => {
  it('a password-protected PDF is refused as encrypted, with a sentence for the owner', async () => {
    const hex = (n: number) => Buffer.alloc(32, n).toString('hex');
    const encrypted = onePage(
      'Secret',
      '',
      [`<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <${hex(1)}> /U <${hex(2)}> >>`],
      `/Encrypt 6 0 R /ID [<${'ab'.repeat(16)}> <${'ab'.repeat(16)}>] `,
    );
    const err = await failure(readPdf(encrypted, 'locked.pdf'));
    expect(err.code).toBe('encrypted');
    expect(err.message).toMatch(/"locked\.pdf" is password-protected/);
  });

  it('damaged bytes, a truncated file and a non-PDF are corrupt; 0 bytes and 0 pages are empty', async () => {
    const noise = Buffer.concat([
      Buffer.from('%PDF-1.4\n'),
      Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 251)),
    ]);
    expect((await failure(readPdf(noise, 'noise.pdf'))).code).toBe('corrupt');
    expect((await failure(readPdf(hello.subarray(0, 120), 'cut.pdf'))).code).toBe('corrupt');
    expect((await failure(readPdf(Buffer.from('<html>invoice</html>'), 'fake.pdf'))).message).toMatch(
      /not a PDF/,
    );
    expect((await failure(readPdf(Buffer.alloc(0), 'zero.pdf'))).code).toBe('empty');
    const noPages = buildPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>']);
    const err = await failure(readPdf(noPages, 'blank.pdf'));
    expect(err.code).toBe('empty');
    expect(err.message).toMatch(/no pages/);
  });

  it('a file over maxBytes is refused before any parsing', async () => {
    expect((await failure(readPdf(hello, 'big.pdf', { maxBytes: 100 }))).code).toBe('too_large');
    const huge = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(31 * 1024 * 1024)]);
    const start = performance.now();
    const err = await failure(readPdf(huge, 'huge.pdf'));
    expect(err.code).toBe('too_large');
    expect(err.message).toMatch(/31\.0 MB; deskhand reads PDFs up to 30\.0 MB/);
    expect(performance.now() - start).toBeLessThan(200);
  });

  it('document JavaScript (OpenAction, named scripts, page actions) never runs', async () => {
    const marker = join(tmpdir(), `deskhand-pdf-js-${process.pid}-${Date.now()}`);
    const js = `require('fs').writeFileSync('${marker}', 'ran'); globalThis.deskhandPwned = true; app.alert('x');`;
    const action = `<< /Type /Action /S /JavaScript /JS (${js.replace(/[()\\]/g, (c) => `\\${c}`)}) >>`;
    const scripted = onePage(
      'Scripted invoice',
      '/OpenAction 6 0 R /Names << /JavaScript << /Names [(x) 6 0 R] >> >>',
      [action],
    );
    const pdf = await readPdf(scripted, 'scripted.pdf');
    expect(pdf.pages[0]).toContain('Scripted invoice');
    expect(existsSync(marker)).toBe(false);
    expect((globalThis as { deskhandPwned?: boolean }).deskhandPwned).toBeUndefined();
  });

  it('a parse that runs past the time limit is stopped as timeout, and the next PDF still reads', async () => {
    const slow = flateBomb(64);
    const start = performance.now();
    const err = await failure(readPdf(slow, 'slow.pdf', { timeoutMs: 150, maxMemoryMb: 4096 }));
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/longer than 150 ms/);
    expect(performance.now() - start).toBeLessThan(3000);
    expect((await readPdf(hello, 'after.pdf')).pages[0]).toContain('Invoice 2024-0042');
  }, 20_000);

  it('a decompression bomb is stopped at the memory budget as out_of_memory, and the next PDF still reads', async () => {
    const err = await failure(readPdf(flateBomb(64), 'bomb.pdf', { maxMemoryMb: 48 }));
    expect(err.code).toBe('out_of_memory');
    expect(err.message).toMatch(/more than 48 MB/);
    expect((await readPdf(hello, 'after.pdf')).pages[0]).toContain('Invoice 2024-0042');
    expect(process.memoryUsage().rss).toBeLessThan(2 * 1024 ** 3);
  }, 20_000);

  it('a worker killed by V8’s heap limit is an out_of_memory error, not a crash', async () => {
    const pool = new PdfWorkerPool({ heapCeilingMb: 32, maxWorkers: 1 });
    // 300 000 text items: ~0.7 MB compressed, far more than 32 MB of pdf.js objects; pdf.js
    // itself starts in less, with room to spare.
    const items = Array.from({ length: 300_000 }, (_, i) => `(w${i}) Tj`).join(' ');
    const dense = buildPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
      { dict: '/Filter /FlateDecode', stream: deflateSync(Buffer.from(`BT /F1 1 Tf ${items} ET`, 'latin1')) },
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ]);
    try {
      const err = await failure(readPdf(dense, 'dense.pdf', { maxMemoryMb: 4096 }, pool));
      expect(err.code).toBe('out_of_memory');
      expect(err.message).toMatch(/more than 32 MB/);
      expect((await readPdf(hello, 'after.pdf', {}, pool)).pages[0]).toContain('Invoice 2024-0042');
    } finally {
      await pool.close();
    }
  }, 20_000);

  it('a warm worker is reused, and stopped once idle so its memory goes back', async () => {
    const pool = new PdfWorkerPool({ maxWorkers: 1, idleMs: 100 });
    try {
      await readPdf(hello, 'a.pdf', {}, pool);
      await readPdf(hello, 'b.pdf', {}, pool);
      expect(pool.workers).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(pool.workers).toBe(0);
      expect((await readPdf(hello, 'c.pdf', {}, pool)).pages[0]).toContain('Invoice 2024-0042');
    } finally {
      await pool.close();
    }
  });

  it('pages past maxPages are not read, and a warning says so', async () => {
    const pdf = await readPdf(manyPages(5), 'long.pdf', { maxPages: 2 });
    expect(pdf.pageCount).toBe(5);
    expect(pdf.pages).toHaveLength(2);
    expect(pdf.pages[1]).toContain('Page 2');
    expect(pdf.warnings).toEqual(['Only the first 2 of 5 pages of "long.pdf" were read.']);
  });

  it('a hostile PDF stopped mid-flight does not disturb documents read at the same time', async () => {
    const results = await Promise.allSettled([
      readPdf(flateBomb(64), 'slow.pdf', { timeoutMs: 150, maxMemoryMb: 4096 }),
      ...Array.from({ length: 4 }, (_, i) => readPdf(hello, `ok-${i}.pdf`)),
    ]);
    expect(results[0]).toMatchObject({ status: 'rejected', reason: { code: 'timeout' } });
    for (const r of results.slice(1)) expect(r.status).toBe('fulfilled');
  }, 20_000);
});

describe('the corpus directory', () => {
  it('is where the tests expect it', () => {
    expect(statSync(ZUGFERD).isDirectory()).toBe(true);
  });
});
