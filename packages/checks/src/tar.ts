import { gunzipSync } from 'node:zlib';

/** One member of a tar archive; only regular files carry data. */
export interface TarEntry {
  path: string;
  type: 'file' | 'directory' | 'other';
  data: Buffer;
}

const BLOCK = 512;

/** A NUL-terminated string field of a header. */
function text(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}

/** A numeric field: octal text, or base-256 (high bit set) as GNU tar writes sizes of 8 GiB and more. */
function number(block: Buffer, offset: number, length: number): number {
  const field = block.subarray(offset, offset + length);
  if (field[0] & 0x80) {
    let n = field[0] & 0x7f;
    for (const byte of field.subarray(1)) n = n * 256 + byte;
    return n;
  }
  const digits = text(block, offset, length).trim();
  return digits ? parseInt(digits, 8) : 0;
}

/** The checksum counts the header's bytes with the checksum field itself read as spaces. */
function checksumOk(block: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i];
  return sum === number(block, 148, 8);
}

/** pax extended header records: `<length> <key>=<value>\n`, the length counting the whole record. */
function paxRecords(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const length = parseInt(data.subarray(at, space).toString('ascii'), 10);
    if (space === -1 || !(length > 0)) throw new Error('tar: malformed pax header');
    const record = data.subarray(space + 1, at + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    out[record.slice(0, eq)] = record.slice(eq + 1);
    at += length;
  }
  return out;
}

/**
 * The members of a tar archive: ustar (with the name prefix), GNU long names (`L`) and pax `path`
 * records (`x`), which is what `helm package` (Go's archive/tar) and GNU tar write. Throws on a header
 * with a bad checksum or a member cut short, so a damaged download is never read as a short chart.
 */
export function readTar(archive: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let longName: string | undefined;
  let paxPath: string | undefined;
  for (let at = 0; at + BLOCK <= archive.length;) {
    const header = archive.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) return entries;
    if (!checksumOk(header)) throw new Error(`tar: bad header checksum at byte ${at}`);
    const size = number(header, 124, 12);
    const type = String.fromCharCode(header[156] || 0x30);
    const start = at + BLOCK;
    if (start + size > archive.length) throw new Error(`tar: member at byte ${at} is cut short`);
    const data = archive.subarray(start, start + size);
    at = start + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') longName = text(data, 0, data.length);
    else if (type === 'x') paxPath = paxRecords(data).path ?? paxPath;
    else if (type === 'g' || type === 'K')
      continue; // global pax defaults and long link names do not name a member
    else {
      const ustar = text(header, 257, 6) === 'ustar';
      const prefix = ustar ? text(header, 345, 155) : '';
      const name = paxPath ?? longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
      longName = paxPath = undefined;
      const kind = type === '0' || type === '7' ? 'file' : type === '5' ? 'directory' : 'other';
      entries.push({ path: name.replace(/^\.\//, ''), type: kind, data: kind === 'file' ? Buffer.from(data) : Buffer.alloc(0) });
    }
  }
  throw new Error('tar: archive ends without its end-of-archive blocks');
}

/** A gzip-compressed tar archive (a Helm chart .tgz). */
export function readTgz(archive: Buffer): TarEntry[] {
  return readTar(gunzipSync(archive));
}
