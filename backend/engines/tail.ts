// Reads the lines a trainer appends to a log file, as they are completed. A file that does not
// exist yet is waited for; a file that shrinks was truncated (EasyR1 empties its logs when it
// starts) and is read again from its start; a line without its newline yet is kept until it is
// whole (a trainer writes a JSON line in more than one write). Polled, not watched: fs.watch
// misses appends on network file systems, where a cluster's run folders often live.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const CHUNK_BYTES = 1024 * 1024;

export class FileTail {
  private offset = 0;
  private partial = '';
  private inode: number | null = null;
  /** A character split across two reads is decoded whole. */
  private decoder = new StringDecoder('utf8');

  constructor(readonly path: string, options: { fromEnd?: boolean } = {}) {
    if (options.fromEnd === true) {
      const size = this.size();
      if (size !== null) this.offset = size;
    }
  }

  private size(): number | null {
    try {
      const descriptor = openSync(this.path, 'r');
      try {
        const stats = fstatSync(descriptor);
        this.inode = stats.ino;
        return stats.size;
      } finally {
        closeSync(descriptor);
      }
    } catch {
      return null;
    }
  }

  /** The complete lines appended since the last call (none when the file is missing). */
  read(): string[] {
    let descriptor: number;
    try {
      descriptor = openSync(this.path, 'r');
    } catch {
      return [];
    }
    const lines: string[] = [];
    try {
      const stats = fstatSync(descriptor);
      // Truncated, or replaced by a new file: start over.
      if (stats.size < this.offset || (this.inode !== null && stats.ino !== this.inode)) {
        this.offset = 0;
        this.partial = '';
        this.decoder = new StringDecoder('utf8');
      }
      this.inode = stats.ino;
      const buffer = Buffer.alloc(CHUNK_BYTES);
      while (this.offset < stats.size) {
        const count = readSync(descriptor, buffer, 0, Math.min(CHUNK_BYTES, stats.size - this.offset), this.offset);
        if (count <= 0) break;
        this.offset += count;
        this.partial += this.decoder.write(buffer.subarray(0, count));
        const pieces = this.partial.split('\n');
        this.partial = pieces.pop() ?? '';
        for (const piece of pieces) if (piece.trim() !== '') lines.push(piece);
      }
    } finally {
      closeSync(descriptor);
    }
    return lines;
  }
}
