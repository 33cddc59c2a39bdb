// The built-in trainer's examples, read from a run folder's frozen dataset exactly as the external
// engines read it (backend/engines/snapshot.ts): LLaMA-Factory's sharegpt SFT records or EasyR1's
// RL records, the sample ids from snapshot.json, and each clip's motion evidence from
// data/evidence.json (backend/engines/evidenceFile.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProjectError } from '../../common/errors';
import { extractAnswerTag } from '../../common/ota/parse';
import { readEvidenceFile, type EvidenceSet } from '../../backend/engines/evidenceFile';
import { RL_TRAIN_FILE, RL_VAL_FILE, SFT_DATASET, TARGET_KEY } from '../../backend/engines/snapshot';
import { poolEvidence, questionOfPrompt, type QuestionInput } from '../model/inputs';

export interface Example {
  sampleId: number | null;
  input: QuestionInput;
  /** The reference chain (SFT), null for RL records. */
  chain: string | null;
  /** The reference answer as the reward reads it ("B" or "<answer>B</answer>"). */
  groundTruth: string;
  /** The media path the record names. */
  clip: string;
  /** Pooled, not yet standardised (../model/inputs.ts poolEvidence). */
  evidence: Float32Array;
}

export interface RunExamples {
  train: Example[];
  val: Example[];
  evidenceFeatures: string[];
}

type JsonRecord = Record<string, unknown>;

function readRecords(path: string): JsonRecord[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ProjectError(path, `cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(value)) throw new ProjectError(path, 'is not a JSON array of records');
  return value as JsonRecord[];
}

function snapshotIds(runFolder: string): { sampleIds: number[]; valSampleIds: number[] } {
  const path = join(runFolder, 'snapshot.json');
  const value = JSON.parse(readFileSync(path, 'utf8')) as { sampleIds?: unknown; valSampleIds?: unknown };
  const ids = (list: unknown) => (Array.isArray(list) ? list.filter((id): id is number => typeof id === 'number') : []);
  return { sampleIds: ids(value.sampleIds), valSampleIds: ids(value.valSampleIds) };
}

function evidenceOf(evidence: EvidenceSet, path: string, index: number, record: JsonRecord): { clip: string; evidence: Float32Array } {
  const videos = record['videos'];
  const clip = Array.isArray(videos) && typeof videos[0] === 'string' ? videos[0] : null;
  if (clip === null) throw new ProjectError(path, `record ${index + 1} names no video`);
  const found = evidence.clips.get(clip);
  if (found === undefined) throw new ProjectError(path, `record ${index + 1}: no motion evidence for ${clip} in ${join('data', 'evidence.json')}`);
  return { clip, evidence: poolEvidence(found) };
}

export function readSftExamples(runFolder: string): RunExamples {
  const path = join(runFolder, 'data', `${SFT_DATASET}.json`);
  const records = readRecords(path);
  const evidence = readEvidenceFile(runFolder);
  const { sampleIds } = snapshotIds(runFolder);
  const train = records.map((record, index): Example => {
    const messages = Array.isArray(record['messages']) ? (record['messages'] as JsonRecord[]) : [];
    const user = messages.find((message) => message['role'] === 'user')?.['content'];
    const assistant = messages.find((message) => message['role'] === 'assistant')?.['content'];
    if (typeof user !== 'string' || typeof assistant !== 'string') throw new ProjectError(path, `record ${index + 1} has no user and assistant turn`);
    return {
      sampleId: sampleIds[index] ?? null,
      input: questionOfPrompt(user),
      chain: assistant,
      groundTruth: extractAnswerTag(assistant) ?? '',
      ...evidenceOf(evidence, path, index, record),
    };
  });
  return { train, val: [], evidenceFeatures: evidence.features };
}

export function readRlExamples(runFolder: string): RunExamples {
  const evidence = readEvidenceFile(runFolder);
  const read = (file: string): Example[] => {
    const path = join(runFolder, file);
    return readRecords(path).map((record, index): Example => {
      const target = JSON.parse(String(record[TARGET_KEY] ?? '{}')) as { answer?: unknown; sample?: unknown };
      const options = Array.isArray(record['options']) ? record['options'].filter((option): option is string => typeof option === 'string') : [];
      return {
        sampleId: typeof target.sample === 'number' ? target.sample : null,
        input: { question: String(record['problem'] ?? ''), options },
        chain: null,
        groundTruth: String(target.answer ?? record['answer'] ?? ''),
        ...evidenceOf(evidence, path, index, record),
      };
    });
  };
  return { train: read(RL_TRAIN_FILE), val: read(RL_VAL_FILE), evidenceFeatures: evidence.features };
}
