// Which folder may import which (STYLE.md §1). The folders are named for where their code runs:
//   common/   runtime-free: no Node, no DOM-only APIs, no storage — the renderer imports it too
//   db/       SQLite store (Node)          backend/  domain services (Node)
//   training/ training engines (Node)      main/     hosts: CLI, web server, Electron main
//   preload/  Electron preload             renderer/ React UI (DOM only)
// Only main/electron/ and preload/ may import `electron`: its binary downloads on first require,
// which must never happen in the CLI, the web mode or the tests.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http',
  'https', 'net', 'url', 'util', 'stream', 'stream/*', 'events', 'module', 'process', 'zlib',
  'readline', 'assert', 'buffer', 'perf_hooks', 'timers', 'timers/*',
];
const folder = (name) => [`**/${name}/**`, `**/${name}`];
const forbid = (message, ...groups) => ({ group: groups.flat(), message });

function importRule(...patterns) {
  return { 'no-restricted-imports': ['error', { patterns }] };
}

const noElectron = forbid('Only main/electron/ and preload/ may import electron.', ['electron', 'electron/*']);
const noNative = forbid('Native storage lives in db/.', ['better-sqlite3']);

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', {
        selector: 'TSEnumDeclaration',
        message: 'Use a union of string literals (works across the contract without runtime code).',
      }, {
        // The `z` namespace drags every zod locale into the CLI's bundle (190 KB → 755 KB of
        // start-up parsing for every command that validates anything).
        selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
        message: "Import zod's functions by name (import { object, string } from 'zod'), not the z namespace.",
      }],
    },
  },
  {
    files: ['**/*.{js,mjs}', 'tests/**/*.ts', 'bench/**/*.ts', 'scripts/**'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['common/**/*.ts'],
    // Tests beside runtime-free code may read fixtures from disk; they never ship to the renderer.
    ignores: ['common/**/*.test.ts'],
    rules: importRule(
      forbid('common/ is runtime-free: no Node built-ins.', nodeBuiltins),
      forbid('common/ may import only common/ and pure libraries.',
        folder('db'), folder('backend'), folder('main'), folder('preload'), folder('renderer'), folder('training')),
      noElectron, noNative,
    ),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: importRule(
      forbid('renderer/ runs in a sandboxed page: no Node built-ins.', nodeBuiltins),
      forbid('renderer/ talks to the backend only through the contract in common/.',
        folder('db'), folder('backend'), folder('main'), folder('preload'), folder('training')),
      noElectron, noNative,
    ),
  },
  {
    files: ['db/**/*.ts'],
    rules: importRule(
      forbid('db/ may import only common/.',
        folder('backend'), folder('main'), folder('preload'), folder('renderer'), folder('training')),
      noElectron,
    ),
  },
  {
    files: ['backend/**/*.ts'],
    rules: importRule(
      forbid('backend/ may import common/ and db/ only.',
        folder('main'), folder('preload'), folder('renderer'), folder('training')),
      noElectron,
    ),
  },
  {
    files: ['training/**/*.ts'],
    rules: importRule(
      forbid('training/ may import common/, db/ and backend/ only.',
        folder('main'), folder('preload'), folder('renderer')),
      noElectron,
    ),
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: importRule(forbid('Hosts never import the renderer.', folder('renderer')), noElectron),
  },
  {
    files: ['preload/**/*.ts'],
    rules: importRule(
      forbid('preload/ exposes the contract only.',
        folder('db'), folder('backend'), folder('main'), folder('renderer'), folder('training')),
    ),
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.{ts,mjs}', 'scripts/**/*.mjs'],
    rules: importRule(noElectron),
  },
);
