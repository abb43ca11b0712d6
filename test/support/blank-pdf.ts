import { deflateSync } from 'node:zlib';

/**
 * A PDF of empty A4 pages, written by hand (no renderer needed, a 400-page file in a millisecond):
 * for the page limit. By default as PDF 1.4 writes it, every object in plain text with a classic
 * cross-reference table; with `objectStreams`, as PDF 1.5+ writers do, the catalogue, the page tree
 * and the pages compressed in one object stream, found through a cross-reference stream.
 * `claimedCount` writes another /Count than there are pages (a file lying about its length).
 */
export const blankPdf = (pages: number, { objectStreams = false, claimedCount = pages }: { objectStreams?: boolean; claimedCount?: number } = {}): Buffer => {
  const pageIds = Array.from({ length: pages }, (_, index) => index + 3);
  const bodies = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${claimedCount} >>`,
    ...pageIds.map(() => '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>'),
  ];
  const chunks: Buffer[] = [Buffer.from('%PDF-1.5\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const length = () => chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const offsets: number[] = [];
  const write = (id: number, dictionary: string, stream?: Buffer) => {
    offsets[id] = length();
    chunks.push(Buffer.from(`${id} 0 obj\n${dictionary}\n`, 'latin1'));
    if (stream) chunks.push(Buffer.from('stream\n', 'latin1'), stream, Buffer.from('\nendstream\n', 'latin1'));
    chunks.push(Buffer.from('endobj\n', 'latin1'));
  };

  if (!objectStreams) {
    bodies.forEach((body, index) => write(index + 1, body));
    const xref = length();
    const size = bodies.length + 1;
    chunks.push(Buffer.from(`xref\n0 ${size}\n0000000000 65535 f \n${offsets.slice(1).map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')}`
      + `trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`, 'latin1'));
    return Buffer.concat(chunks);
  }

  // Objects 1..n in object stream n+1; the cross-reference stream is n+2.
  const streamId = bodies.length + 1;
  const xrefId = bodies.length + 2;
  let inner = '';
  const header: string[] = [];
  bodies.forEach((body, index) => {
    header.push(`${index + 1} ${inner.length}`);
    inner += `${body}\n`;
  });
  const first = `${header.join(' ')}\n`;
  const packed = deflateSync(Buffer.from(first + inner, 'latin1'));
  write(streamId, `<< /Type /ObjStm /N ${bodies.length} /First ${first.length} /Filter /FlateDecode /Length ${packed.length} >>`, packed);
  const xrefOffset = length();
  // Entries of 1 + 4 + 2 bytes: type (0 free, 1 at an offset, 2 in an object stream), field 2, field 3.
  const entry = (type: number, field2: number, field3: number) => {
    const row = Buffer.alloc(7);
    row.writeUInt8(type, 0);
    row.writeUInt32BE(field2, 1);
    row.writeUInt16BE(field3, 5);
    return row;
  };
  const rows = Buffer.concat([
    entry(0, 0, 65535),
    ...bodies.map((_, index) => entry(2, streamId, index)),
    entry(1, offsets[streamId]!, 0),
    entry(1, xrefOffset, 0),
  ]);
  write(xrefId, `<< /Type /XRef /Size ${xrefId + 1} /W [1 4 2] /Root 1 0 R /Length ${rows.length} >>`, rows);
  chunks.push(Buffer.from(`startxref\n${xrefOffset}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(chunks);
};
