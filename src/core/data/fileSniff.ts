/**
 * What a file that is not CSV text looks like, from its first bytes (magic numbers), so that a PNG or a workbook
 * handed to the CSV reader gets "this is a PNG image" rather than advice to re-encode it. Only formats people
 * really confuse with CSV exports are named; any other binary content is recognised by its NUL bytes.
 */

interface Signature {
  magic: number[];
  /** byte offset of the magic */
  at?: number;
  what: string;
}

const SIGNATURES: Signature[] = [
  { magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], what: 'a PNG image' },
  { magic: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { magic: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { magic: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'a PDF document' },
  { magic: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive (an Excel .xlsx or .ods workbook is one; export the sheet as CSV, or unzip an archive)' },
  { magic: [0x50, 0x4b, 0x05, 0x06], what: 'an empty ZIP archive' },
  { magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], what: 'an old Excel .xls workbook (or another Office file); export the sheet as CSV' },
  { magic: [0x1f, 0x8b], what: 'gzip-compressed; decompress it first (gunzip)' },
  { magic: [0x42, 0x5a, 0x68], what: 'bzip2-compressed; decompress it first (bunzip2)' },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'xz-compressed; decompress it first (unxz)' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], what: 'zstd-compressed; decompress it first (unzstd)' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: 'a 7-Zip archive' },
  { magic: [0x50, 0x41, 0x52, 0x31], what: 'a Parquet file' },
  { magic: [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31], what: 'an Arrow/Feather file' },
  { magic: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66, 0x6f, 0x72, 0x6d, 0x61, 0x74, 0x20, 0x33, 0x00], what: 'an SQLite database' },
  { magic: [0x7f, 0x45, 0x4c, 0x46], what: 'an executable (ELF)' },
  { magic: [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59], what: 'a NumPy .npy array' },
  { magic: [0x80], what: 'a Python pickle' },
];

/**
 * A description of a file that is not CSV text ("a PNG image, not a CSV"), with what to do where there is
 * something to do, or undefined when the start of the file looks like text.
 */
export function describeNonCsv(head: Uint8Array): string | undefined {
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
    return 'the file is UTF-16 text, not UTF-8; convert it (iconv -f UTF-16 -t UTF-8 IN.csv > OUT.csv) or save it as "CSV UTF-8"';
  }
  for (const s of SIGNATURES) {
    const at = s.at ?? 0;
    if (head.length < at + s.magic.length) continue;
    // a lone 0x80 is a pickle only with a protocol byte after it (2..5)
    if (s.magic.length === 1 && !(head.length > 1 && head[1] >= 2 && head[1] <= 5)) continue;
    if (s.magic.every((b, i) => head[at + i] === b)) return `the file is ${s.what}, not a CSV`;
  }
  const nul = head.indexOf(0);
  if (nul >= 0) {
    // UTF-16 without a BOM: every other byte of ASCII text is NUL
    const evenNuls = countNuls(head, 0);
    const oddNuls = countNuls(head, 1);
    const half = Math.floor(head.length / 2);
    if (half >= 4 && (evenNuls > half * 0.8 || oddNuls > half * 0.8)) {
      return 'the file looks like UTF-16 text, not UTF-8; convert it (iconv -f UTF-16 -t UTF-8 IN.csv > OUT.csv)';
    }
    return `the file contains NUL bytes (first at byte offset ${nul}): it is binary, not a CSV text file`;
  }
  return undefined;
}

function countNuls(b: Uint8Array, parity: number): number {
  let n = 0;
  for (let i = parity; i < b.length; i += 2) if (b[i] === 0) n++;
  return n;
}
