// Bundles the Node hosts with esbuild. Bundling matters for the CLI: `frustum stats` must start
// in tens of milliseconds, and resolving node_modules file by file costs more than the work.
// Each command is its own bundle, loaded when it runs, so a command loads only what it uses.
import { build } from 'esbuild';
import { copyFileSync, readdirSync, rmSync } from 'node:fs';
import { basename, resolve } from 'node:path';

rmSync(new URL('../dist/cli', import.meta.url), { recursive: true, force: true });
rmSync(new URL('../dist/bench', import.meta.url), { recursive: true, force: true });

/** An ES module bundle for Node (CLI, benchmarks, Electron main). */
const nodeModule = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Native modules and optional ML backends stay outside the bundle: they are loaded from
  // node_modules at run time, and only by the commands that need them. So does exceljs (only
  // `export --format vlmevalkit` writes workbooks): bundled, its 2.4 MB cost every `frustum
  // export` 65-80 ms to compile before anything ran.
  external: ['better-sqlite3', 'onnxruntime-node', '@tensorflow/*', 'electron', 'exceljs'],
  banner: {
    // A CommonJS `require` for bundled dependencies that use it (better-sqlite3's loader).
    js: "import { createRequire as __frustumCreateRequire } from 'node:module'; const require = __frustumCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
};

/** A CommonJS bundle for Node, with a .cjs name (the CLI, worker threads). */
const nodeCommonJs = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: nodeModule.external,
  outExtension: { '.js': '.cjs' },
  sourcemap: 'linked',
  // Modules that find files next to themselves (createRequire(import.meta.url)) get the bundle's URL.
  banner: { js: "const __frustumImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__frustumImportMetaUrl' },
  logLevel: 'warning',
};

await buildCli('dist/cli');

// Worker threads and job processes, found at run time as dist/workers/NAME.cjs (backend/packageRoot.ts workerScript).
rmSync(new URL('../dist/workers', import.meta.url), { recursive: true, force: true });
await build({ ...nodeCommonJs, entryPoints: { job: 'backend/jobs/jobWorker.ts', facets: 'backend/studio/facetsWorker.ts', reasoner: 'training/inference/reasonerWorker.ts' }, outdir: 'dist/workers' });

/**
 * The CLI, as CommonJS: dist/cli/index.cjs (commander and the command table), one file per
 * command in dist/cli/commands/, required only when that command runs, and common/errors.ts in
 * dist/cli/errors.cjs, shared by all of them (its classes are told apart with instanceof). Node
 * loads a CommonJS file synchronously in one step; the ES module loader took about 2 ms per
 * module, and esbuild's code splitting (ES modules only) gave `frustum import` 17 of them:
 * 35 ms of a 350 ms import.
 */
async function buildCli(outdir) {
  const errorsModule = resolve('common/errors.ts');
  const commandsDir = resolve('main/cli/commands');
  const external = (fromCommand) => ({
    name: 'frustum-cli-files',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^\./ }, (args) => {
        if (args.namespace === 'frustum-command') return { path: args.path, external: true };
        const target = resolve(args.resolveDir, args.path);
        if (target === errorsModule || target + '.ts' === errorsModule) return { path: fromCommand ? '../errors.cjs' : './errors.cjs', external: true };
        if (!fromCommand && args.kind === 'dynamic-import' && resolve(target, '..') === commandsDir) {
          return { path: basename(target), namespace: 'frustum-command' };
        }
        return undefined;
      });
      // `import('./commands/x')` becomes a require of that command's bundle (an import() of a
      // CommonJS file would go through the ES module loader, which parses it for its exports).
      pluginBuild.onLoad({ filter: /.*/, namespace: 'frustum-command' }, (args) => ({
        contents: `module.exports = require('./commands/${args.path}.cjs');`,
        loader: 'js',
      }));
    },
  });
  await build({ ...nodeCommonJs, entryPoints: { errors: errorsModule }, outdir });
  await build({ ...nodeCommonJs, entryPoints: { index: 'main/cli/index.ts' }, outdir, plugins: [external(false)] });
  const commands = readdirSync(commandsDir).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
  await build({
    ...nodeCommonJs,
    entryPoints: Object.fromEntries(commands.map((name) => [basename(name, '.ts'), `main/cli/commands/${name}`])),
    outdir: `${outdir}/commands`,
    plugins: [external(true)],
  });
}

// Benchmark helpers that run backend code in process (`npm run bench`).
await build({
  ...nodeModule,
  entryPoints: { prepare: 'bench/prepare.ts', scoreInProcess: 'bench/scoreInProcess.ts', filmstrip: 'bench/filmstrip.ts', analyzer: 'bench/analyzer.ts', studioPrepare: 'bench/studioPrepare.ts', wasmKernels: 'bench/wasmKernels.ts', onnxDecoding: 'bench/onnxDecoding.ts', builtinResults: 'bench/builtinResults.ts', builtinTraining: 'bench/builtinTraining.ts', inferenceRun: 'bench/inferenceRun.ts' },
  outdir: 'dist/bench',
});
// The Train chart and Inspect first-token benchmarks drive Chromium through the browser tests' helpers (CommonJS, for
// their __dirname); playwright-core is loaded from node_modules, as the tests load it.
await build({ ...nodeCommonJs, entryPoints: { trainChart: 'bench/trainChart.ts', inspectFirstToken: 'bench/inspectFirstToken.ts' }, outdir: 'dist/bench', external: [...nodeCommonJs.external, 'playwright-core'] });

// The React renderer (web mode and Electron): one ES module and one stylesheet with fixed names,
// referenced by a static index.html. No inline script or style anywhere, for the strict CSP.
rmSync(new URL('../dist/renderer', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { app: 'renderer/main.tsx' },
  outdir: 'dist/renderer',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome120'],
  jsx: 'automatic',
  minify: true,
  sourcemap: 'linked',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
copyFileSync(new URL('../renderer/index.html', import.meta.url), new URL('../dist/renderer/index.html', import.meta.url));

// ---- Electron host (main/electron) and its preload (preload/): issue #4's desktop app.
// `electron` stays external (Electron provides it at run time; nothing here requires it during
// the build, so building works where Electron's binary was never downloaded). Main is an ES
// module like the CLI; the preload runs sandboxed, where Electron loads it as a CommonJS script
// with a limited `require`, so it is one self-contained CommonJS file.
rmSync(new URL('../dist/electron', import.meta.url), { recursive: true, force: true });
rmSync(new URL('../dist/preload', import.meta.url), { recursive: true, force: true });
await build({ ...nodeModule, entryPoints: { main: 'main/electron/main.ts' }, outdir: 'dist/electron', target: 'node22', sourcemap: 'linked' });
// The backend's utility process (main/electron/backendProcess.ts), CommonJS like the workers it starts.
await build({ ...nodeCommonJs, entryPoints: { backend: 'main/electron/backendProcess.ts' }, outdir: 'dist/electron', target: 'node22' });
await build({
  entryPoints: { preload: 'preload/preload.ts' },
  outdir: 'dist/preload',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  external: ['electron'],
  logLevel: 'warning',
});
