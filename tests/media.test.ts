// The media and synthesis commands end to end: render clips, import them with their records,
// probe them into the project, and ask the doctor which tools run.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePatternClip, PATTERN_MOTIONS, PATTERN_SOURCES, type PatternMotion } from '../backend/media/testClips';
import { PRIMITIVES, type Primitive } from '../common/camerabench/primitives';
import { frustum, frustumJson } from './support/cli';
import { tempDir } from './support/tempDir';

describe('frustum synth, import, probe, doctor', () => {
  it('renders clips whose records import and whose files probe cleanly', () => {
    const folder = tempDir();
    const out = join(folder, 'synth');
    const synth = frustum(['synth', '--out', out, '--count', '3', '--seed', '11', '--size', '96x64', '--fps', '10', '--duration', '1']);
    expect(synth.code, synth.stderr).toBe(0);
    for (const file of ['questions.json', 'sft.json', 'rl.json', 'manifest.json', 'clips/0000_dolly_in_slow.mp4']) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    const project = join(folder, 'p.frustum');
    frustum(['init', project]);
    const imported = frustumJson<{ ok: boolean; clipsMissing: number; samplesAdded: number }>([
      'import', project, join(out, 'questions.json'), join(out, 'sft.json'), join(out, 'rl.json'), '--videos', out,
    ]);
    expect(imported.json).toMatchObject({ ok: true, clipsMissing: 0, samplesAdded: 45 });

    const probed = frustum(['probe', project, '--json']);
    expect(probed.code, probed.stderr).toBe(0);
    const stats = frustumJson<{ clips: { byStatus: Record<string, number> } }>(['stats', project]);
    expect(stats.json.clips.byStatus).toEqual({ ok: 3 });

    const loose = frustumJson<unknown>(['probe', join(out, 'clips', '0001_dolly_out_medium.mp4')]);
    expect(loose.code).toBe(0);
    expect(JSON.stringify(loose.json)).toMatch(/"width":\s*96/);
  });

  it('reports a broken video as a per-file error, with exit 1', () => {
    const folder = tempDir();
    const broken = join(folder, 'broken.mp4');
    writeFileSync(broken, Buffer.from('this is not a video at all, just bytes'));
    const result = frustum(['probe', broken]);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain('broken.mp4');
  });

  it('builds the demo project and refuses to overwrite it without --force', () => {
    const project = join(tempDir(), 'demo', 'demo.frustum');
    const built = frustumJson<{ ok: boolean; imported: { samplesAdded: number; chainsAdded: number; clipsMissing: number }; probed: { probed: number } }>([
      'demo', project, '--count', '2',
    ]);
    expect(built.code, built.stderr).toBe(0);
    expect(built.json.imported).toMatchObject({ samplesAdded: 30, chainsAdded: 30, clipsMissing: 0 });
    expect(built.json.probed.probed).toBe(2);
    const again = frustum(['demo', project, '--count', '2']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists; pass --force/);
  });

  it('analyzes clips and a project, and writes score files the score command grades', () => {
    const folder = tempDir();
    const out = join(folder, 'synth');
    expect(frustum(['synth', '--out', out, '--count', '2', '--seed', '5', '--size', '160x96', '--fps', '10', '--duration', '1.5']).code).toBe(0);
    const clip = frustumJson<Record<string, unknown>>(['analyze', join(out, 'clips', '0000_dolly_in_slow.mp4')]);
    expect(clip.code, clip.stderr).toBe(0);
    const text = JSON.stringify(clip.json);
    for (const primitive of ['Move_In', 'Pan_Left', 'Static']) expect(text).toContain(`"${primitive}"`);
    expect(text).toMatch(/<observation>.*<\/observation><think>.*<\/think><answer>[AB]<\/answer>/);

    const project = join(folder, 'p.frustum');
    frustum(['init', project]);
    frustum(['import', project, join(out, 'questions.json'), '--videos', out]);
    const scores = join(folder, 'scores');
    const analyzed = frustumJson<{ drafts: { saved: number; keptPersonText: number } }>(['analyze', project, '--scores', scores]);
    expect(analyzed.code, analyzed.stderr).toBe(0);
    // The questions came without chains: the analyzer drafts one per question, once.
    expect(analyzed.json.drafts).toEqual({ saved: 30, keptPersonText: 0 });
    const again = frustumJson<{ drafts: { saved: number; keptPersonText: number }; clips: { analyzed: number; reused: number } }>(['analyze', project]);
    expect(again.json.drafts).toEqual({ saved: 0, keptPersonText: 0 });
    // The clips did not change: their stored readings are reused, not measured again.
    expect(again.json.clips).toMatchObject({ analyzed: 0, reused: 2 });
    const stats = frustumJson<{ samples: { withChain: number }; lint: Record<string, number> }>(['stats', project]);
    expect(stats.json.samples.withChain).toBe(30);
    const files = readdirSync(scores).map((name) => join(scores, name));
    expect(files).toHaveLength(15);
    const graded = frustumJson<{ camerabench: { splits: unknown[] } }>(['score', ...files]);
    expect(graded.code).toBe(0);
    expect(graded.json.camerabench.splits).toHaveLength(15);
  });

  // Clips our renderer did not make: a window moving over ffmpeg's own test patterns. Moving a
  // crop window over a flat picture is, strictly, travel past a flat wall; but every point is at
  // the same depth, so there is no parallax to reveal the travel, and the image motion is that
  // of a pan up to the rotation's slight stretch toward the edges. The analyzer's rule
  // (DESIGN.md: no parallax → rotation) reads it as a pan, which is what a person watching it
  // would say: content drifting left is a pan right. A window narrowing about its centre and
  // scaled back up is a zoom in (one factor at every depth); a still window is static.
  it('reads pans, zooms and stillness over ffmpeg test patterns', async () => {
    const folder = tempDir();
    const expected: Record<PatternMotion, { top: Primitive; clearlyAbsent: Primitive[] }> = {
      // A crop sliding over a still has no perspective: read as a long lens, no zoom soaks up a bend it lacks.
      'pan-right': { top: 'Pan_Right', clearlyAbsent: ['Pan_Left', 'Move_Left', 'Tilt_Up', 'Tilt_Down', 'Zoom_In', 'Zoom_Out', 'Static'] },
      'zoom-in': { top: 'Zoom_In', clearlyAbsent: ['Zoom_Out', 'Move_Out', 'Pan_Left', 'Pan_Right', 'Static'] },
      still: { top: 'Static', clearlyAbsent: PRIMITIVES.filter((primitive) => primitive !== 'Static') },
    };
    const clips: Array<{ path: string; motion: PatternMotion }> = [];
    for (const source of PATTERN_SOURCES) {
      for (const motion of PATTERN_MOTIONS) clips.push({ path: await makePatternClip(folder, source, motion), motion });
    }
    type Reading = { scores: Record<Primitive, number>; summary: { fovDegrees: number; fovSource: string } };
    const analyzed = frustumJson<{ clips: Array<{ path: string; ok: boolean; reading?: Reading; error?: string }> }>([
      'analyze', ...clips.map((clip) => clip.path),
    ]);
    expect(analyzed.code, analyzed.stderr).toBe(0);
    for (const [index, clip] of clips.entries()) {
      const result = analyzed.json.clips[index]!;
      expect(result.path).toBe(clip.path);
      expect(result.ok, result.error).toBe(true);
      const scores = result.reading!.scores;
      const { top, clearlyAbsent } = expected[clip.motion];
      const ranked = [...PRIMITIVES].sort((left, right) => scores[right] - scores[left]);
      expect(ranked[0], `${clip.path}: ${JSON.stringify(scores)}`).toBe(top);
      expect(scores[top], clip.path).toBeGreaterThanOrEqual(0.85);
      for (const primitive of clearlyAbsent) expect(scores[primitive], `${clip.path}: ${primitive}`).toBeLessThan(0.2);
      // Only a turn tells the lens; without one the 60° default stays and says so.
      const { fovDegrees, fovSource } = result.reading!.summary;
      if (clip.motion === 'pan-right') expect([fovSource, fovDegrees < 25], clip.path).toEqual(['estimated', true]);
      else expect([fovSource, fovDegrees], clip.path).toEqual(['default', 60]);
    }
  });

  it('says which ffmpeg runs', () => {
    const result = frustumJson<Record<string, unknown>>(['doctor']);
    expect(result.code).toBe(0);
    expect(JSON.stringify(result.json)).toMatch(/"source":\s*"(system|bundled|environment)"/);
  });

  it('refuses bad synth options with a usage error', () => {
    const result = frustum(['synth', '--out', tempDir(), '--count', 'many', '--seed', '1']);
    expect(result.code).toBe(2);
  });
});
