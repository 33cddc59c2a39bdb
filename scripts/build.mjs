// Bundles the Node hosts with esbuild. Bundling matters for the CLI: `frustum stats` must start
// in tens of milliseconds, and resolving node_modules file by file costs more than the work.
// Commands are split into lazy chunks so a command loads only what it uses.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('../dist/cli', import.meta.url), { recursive: true, force: true });
rmSync(new URL('../dist/bench', import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { index: 'main/cli/index.ts' },
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // Native modules and optional ML backends stay outside the bundle: they are loaded from
  // node_modules at run time, and only by the commands that need them.
  external: ['better-sqlite3', 'onnxruntime-node', '@tensorflow/*', 'electron'],
  banner: {
    // A CommonJS `require` for bundled dependencies that use it (better-sqlite3's loader).
    js: "import { createRequire as __frustumCreateRequire } from 'node:module'; const require = __frustumCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

// Benchmark helpers that run backend code in process (`npm run bench`).
await build({
  entryPoints: { prepare: 'bench/prepare.ts', scoreInProcess: 'bench/scoreInProcess.ts', filmstrip: 'bench/filmstrip.ts', analyzer: 'bench/analyzer.ts' },
  outdir: 'dist/bench',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3'],
  banner: {
    js: "import { createRequire as __frustumCreateRequire } from 'node:module'; const require = __frustumCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
