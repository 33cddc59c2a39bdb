// The folder import rules are a lint rule, not a wish (STYLE.md §1): prove each one fires.
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: join(__dirname, '..') });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(__dirname, '..', filePath) });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('folder import rules', () => {
  it.each([
    ['common/ota/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", /no Node built-ins/],
    ['common/ota/x.ts', "import { openProject } from '../../db/connection';\nexport const x = openProject;\n", /common\/ may import only/],
    ['renderer/x.ts', "import { importFiles } from '../backend/formats/importFiles';\nexport const x = importFiles;\n", /through the contract/],
    ['db/x.ts', "import { importFiles } from '../backend/formats/importFiles';\nexport const x = importFiles;\n", /db\/ may import only common/],
    ['backend/x.ts', "import { run } from '../main/cli/commands/init';\nexport const x = run;\n", /backend\/ may import common\/ and db\/ only/],
    ['main/cli/x.ts', "import { app } from 'electron';\nexport const x = app;\n", /Only main\/electron\/ and preload\//],
    ['tests/x.ts', "import { app } from 'electron';\nexport const x = app;\n", /Only main\/electron\//],
  ])('%s: %s is refused', async (file, code, message) => {
    const messages = await restrictedImports(file, code);
    expect(messages.join('\n')).toMatch(message);
  });

  it.each([
    ['common/ota/x.ts', "import { PRIMITIVES } from '../camerabench/primitives';\nexport const x = PRIMITIVES;\n"],
    ['backend/x.ts', "import { openProject } from '../db/connection';\nexport const x = openProject;\n"],
    ['main/cli/x.ts', "import { importFiles } from '../../backend/formats/importFiles';\nexport const x = importFiles;\n"],
  ])('%s may import what its layer allows', async (file, code) => {
    expect(await restrictedImports(file, code)).toEqual([]);
  });

  it("refuses zod's z namespace and accepts named imports", async () => {
    const lint = async (code: string) => {
      const [result] = await eslint.lintText(code, { filePath: join(__dirname, '..', 'backend/x.ts') });
      return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-syntax').map((message) => message.message);
    };
    expect((await lint("import { z } from 'zod';\nexport const x = z.string();\n")).join('\n')).toMatch(/not the z namespace/);
    expect(await lint("import { string } from 'zod';\nexport const x = string();\n")).toEqual([]);
  });
});
