import { resolve } from 'node:path';
import { createProject } from '../../../db/connection';
import { printJson, printLines } from '../output';

export function run(project: string, options: { json?: boolean }): void {
  createProject(project).close();
  if (options.json) printJson({ ok: true, project: resolve(project) });
  else printLines([`created ${project}`, `next: frustum import ${project} <dataset.json> [--videos <clips folder>]`]);
}
