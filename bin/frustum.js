#!/usr/bin/env node
// The `frustum` command. The CLI is bundled by `npm run build` into dist/ so that start-up
// loads one file instead of resolving hundreds of modules.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/index.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('frustum: the CLI is not built yet; run `npm run build` first.\n');
  process.exit(2);
}
await import(entry.href);
