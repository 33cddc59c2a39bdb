// The ordered, append-only list of migrations. Add a file, append it here, never edit one
// that has shipped: project files record each applied migration's checksum.
import * as initial from './0001-initial';
import * as media from './0002-media';
import * as analysis from './0003-analysis';
import * as studio from './0004-studio';
import * as mediaRoots from './0005-media-roots';
import * as jobs from './0006-jobs';
import * as training from './0007-training';
import * as evidence from './0008-evidence';
import * as inference from './0009-inference';
import * as benchmarks from './0010-benchmarks';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, ...initial },
  { version: 2, ...media },
  { version: 3, ...analysis },
  { version: 4, ...studio },
  { version: 5, ...mediaRoots },
  { version: 6, ...jobs },
  { version: 7, ...training },
  { version: 8, ...evidence },
  { version: 9, ...inference },
  { version: 10, ...benchmarks },
];
