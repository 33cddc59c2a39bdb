#!/usr/bin/env node
// The `frustum` command. The CLI is bundled by `npm run build` into dist/cli/ as CommonJS, one
// file per command, so that start-up loads two files instead of resolving hundreds of modules;
// require loads them synchronously, faster than the ES module loader (scripts/build.mjs).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/cli/index.cjs', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write('frustum: the CLI is not built yet; run `npm run build` first.\n');
  process.exit(2);
}
createRequire(import.meta.url)(entry);
