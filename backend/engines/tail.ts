// Reads the lines a trainer appends to a log file, as they are completed. A file that does not
// exist yet is waited for; a file that shrinks was truncated (EasyR1 empties its logs when it
// starts) and is read again from its start; a line without its newline yet is kept until it is
// whole (a trainer writes a JSON line in more than one write). Polled, not watched: fs.watch
// misses appends on network file systems, where a cluster's run folders often live.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const CHUNK_BYTES = 1024 * 1024;

export interface FileTail {
  readonly path: string;
  /** The complete lines appended since the last call (none when the file is missing). */
  read(): string[];
}

/** `fromEnd`: only what is appended from now on (a resumed LLaMA-Factory run appends to a log an earlier job has read). */
export function tailFile(path: string, options: { fromEnd?: boolean } = {}): FileTail {
  let offset = 0;
  let partial = '';
  let inode: number | null = null;
  // A character split across two reads is decoded whole.
  let decoder = new StringDecoder('utf8');

  if (options.fromEnd === true) {
    try {
      const descriptor = openSync(path, 'r');
      try {
        const stats = fstatSync(descriptor);
        inode = stats.ino;
        offset = stats.size;
      } finally {
        closeSync(descriptor);
      }
    } catch {
      // not there yet: everything it will hold is new
    }
  }

  return {
    path,
    read() {
      let descriptor: number;
      try {
        descriptor = openSync(path, 'r');
      } catch {
        return [];
      }
      const lines: string[] = [];
      try {
        const stats = fstatSync(descriptor);
        // Truncated, or replaced by a new file: start over.
        if (stats.size < offset || (inode !== null && stats.ino !== inode)) {
          offset = 0;
          partial = '';
          decoder = new StringDecoder('utf8');
        }
        inode = stats.ino;
        const buffer = Buffer.alloc(Math.min(CHUNK_BYTES, Math.max(1, stats.size - offset)));
        while (offset < stats.size) {
          const count = readSync(descriptor, buffer, 0, Math.min(buffer.length, stats.size - offset), offset);
          if (count <= 0) break;
          offset += count;
          partial += decoder.write(buffer.subarray(0, count));
          const pieces = partial.split('\n');
          partial = pieces.pop() ?? '';
          for (const piece of pieces) if (piece.trim() !== '') lines.push(piece);
        }
      } finally {
        closeSync(descriptor);
      }
      return lines;
    },
  };
}
