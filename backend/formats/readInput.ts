// Reading one input file for import, validation or scoring: whole-file checks (exists, is a
// file, is UTF-8, is JSON) with messages that name the file, then format detection.
import { constants as bufferConstants, isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { InputError } from '../../common/errors';
import { detectFormat, RECORD_KEYS } from '../../common/formats/detect';
import { parseJsonRecords, type ParsedJsonFile } from '../../common/formats/jsonText';
import { FORMAT_NAMES, type FormatName } from '../../common/formats/schemas';

/**
 * Larger inputs are refused up front, before a byte is read. A file is parsed as one string, and
 * V8 holds no string longer than MAX_STRING_LENGTH code units (2^29 − 24 on 64-bit: 512 MiB less
 * 24 bytes, not the 1 GiB once promised here); past it, decoding threw "Cannot create a string
 * longer than…". UTF-8 never takes fewer bytes than UTF-16 code units, so a file within this
 * many bytes always fits.
 */
export const MAX_INPUT_BYTES = bufferConstants.MAX_STRING_LENGTH;

function describeSize(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${Math.floor(bytes / 2 ** 20)} MiB`;
}

export interface InputFile extends ParsedJsonFile {
  path: string;
  format: FormatName;
  sha256: string;
  bytes: number;
  /** `text` as UTF-8: the file as read, less any byte order mark. */
  utf8: Buffer;
}

export type FormatChoice = FormatName | 'auto';

export function parseFormatChoice(text: string, allowed: readonly FormatName[] = FORMAT_NAMES): FormatChoice {
  if (text === 'auto') return 'auto';
  const known = allowed.find((format) => format === text);
  if (!known) throw new InputError([{ file: '--format', reason: `unknown format "${text}"; use auto, ${allowed.join(', ')}` }]);
  return known;
}

export function readInputFile(path: string, choice: FormatChoice = 'auto'): InputFile {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new InputError([{ file: path, reason: 'no such file' }]);
  }
  if (stats.isDirectory()) throw new InputError([{ file: path, reason: 'is a directory; give the JSON file inside it' }]);
  if (!stats.isFile()) throw new InputError([{ file: path, reason: 'is not a regular file' }]);
  if (stats.size > MAX_INPUT_BYTES) {
    throw new InputError([{
      file: path,
      reason: `is ${describeSize(stats.size)}; a file can be at most ${describeSize(MAX_INPUT_BYTES)} (${MAX_INPUT_BYTES} bytes, the longest text JavaScript can hold); ` +
        'split it into smaller files (JSON Lines splits at any line break, e.g. `split -l 100000`) and import them together',
    }]);
  }
  const buffer = readFileSync(path);
  // isUtf8 (simdutf) then toString is several times faster than a fatal TextDecoder.
  if (!isUtf8(buffer)) throw new InputError([{ file: path, reason: 'is not UTF-8 text (a binary file?)' }]);
  const text = buffer.toString('utf8');
  // Every character above U+007F takes more UTF-8 bytes than UTF-16 code units: equal lengths
  // mean pure ASCII, which spares the style detection a scan of the whole text.
  const parsed = parseJsonRecords(text, path, RECORD_KEYS, { isAscii: buffer.length === text.length, isJsonLines: extname(path).toLowerCase() === '.jsonl' });
  let format: FormatName;
  if (choice === 'auto') {
    const detection = detectFormat(parsed.layout, parsed.records[0]?.value, parsed.container, basename(path));
    if (!detection.ok) throw new InputError([{ file: path, reason: detection.reason }]);
    format = detection.format;
  } else {
    format = choice;
    const wrapper = format === 'results' ? 'results' : format === 'camerabench-scores' ? 'scores' : null;
    const wrappedKey = parsed.layout.kind === 'object' ? parsed.layout.key : null;
    const isWrapped = wrappedKey !== null;
    if (wrapper !== null && wrappedKey !== wrapper) {
      throw new InputError([{ file: path, reason: `a ${format} file is a JSON object with a "${wrapper}" list` }]);
    }
    if (wrapper === null && isWrapped) {
      throw new InputError([{ file: path, reason: `a ${format} file is a JSON array or JSON Lines, not an object` }]);
    }
  }
  const sha256 = createHash('sha256').update(buffer).digest('hex');
  const utf8 = parsed.text.length === text.length ? buffer : buffer.subarray(3); // the BOM is 3 bytes
  return { ...parsed, path, format, sha256, bytes: stats.size, utf8 };
}
