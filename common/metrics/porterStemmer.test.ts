// NLTK's PorterStemmer output for the words tests/reference/captionOracle.py stemmed with NLTK
// itself: CameraBench's caption vocabulary and every dictionary word on which the npm stemmers
// (stemmer, porter-stemmer, natural) part from NLTK.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { porterStem } from './porterStemmer';

const referenceFolder = join(import.meta.dirname, '../../tests/reference');
const { stem_words: stemWords } = JSON.parse(readFileSync(join(referenceFolder, 'caption-cases.json'), 'utf8')) as { stem_words: string[] };
const { stems, nltk } = JSON.parse(readFileSync(join(referenceFolder, 'caption-expected.json'), 'utf8')) as { stems: Record<string, string>; nltk: string };

describe("porterStem (NLTK's PorterStemmer, NLTK_EXTENSIONS)", () => {
  it(`stems ${stemWords.length} words as NLTK ${nltk} does`, () => {
    expect(stemWords.length).toBeGreaterThan(2000);
    expect(stemWords.filter((word) => porterStem(word) !== stems[word])).toEqual([]);
  });

  it("keeps NLTK's departures from Martin Porter's reference stemmer", () => {
    const examples: Record<string, string> = {
      away: 'away', they: 'they', say: 'say', playing: 'play', // y → i only after a consonant that is not the first letter
      cry: 'cri', happy: 'happi', cried: 'cri', // ... and "-ied" → "i"
      dies: 'die', died: 'die', // four-letter "-ies"/"-ied" keep "ie"
      lying: 'lie', dying: 'die', skies: 'sky', news: 'news', // irregular forms
      gracefully: 'grace', generously: 'gener', hopefully: 'hope', analogies: 'analog', // "-alli", "-fulli", "-logi"
      moving: 'move', moves: 'move', moved: 'move', '1990s': '1990', yyyy: 'yyyi', ab: 'ab',
    };
    for (const [word, stem] of Object.entries(examples)) expect([word, porterStem(word)]).toEqual([word, stem]);
  });
});
