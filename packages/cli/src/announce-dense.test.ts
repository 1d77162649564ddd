import { describe, expect, it } from '@jest/globals';
import type { DenseSummary, IndexProgress } from '@conexus/engine';
import { announceDense } from './announce-dense.js';

const progress: IndexProgress = { repo: 'app', phase: 'embedding', done: 0, total: 1_036, perSecond: 0 };

function announce(dense: Promise<DenseSummary>, latest: IndexProgress | null) {
  const written: string[] = [];
  const said = announceDense({
    dense,
    started: latest ? Promise.resolve() : new Promise(() => {}),
    latest: () => latest,
    model: 'onnx:bge-small-en-v1.5',
    write: (text) => written.push(text),
  });
  return { said, written };
}

describe('announceDense', () => {
  it('says what it will embed with which model before the prompt, and when the vectors are in', async () => {
    let finish: (summary: DenseSummary) => void = () => {};
    const { said, written } = announce(new Promise((resolve) => (finish = resolve)), progress);
    const { finished } = await said;
    expect(written).toEqual([
      'conexus: embedding 1,036 chunks in the background with onnx:bge-small-en-v1.5; answers are lexical until then\n',
    ]);
    finish({ embedded: 1_036, seconds: 54, complete: true });
    await finished;
    expect(written[1]).toMatch(/^\nconexus: embedded 1036 chunks in \d+ s; answers now use them\n$/);
  });

  it('says so when the embedding is stopped before the end', async () => {
    const { said, written } = announce(Promise.resolve({ embedded: 3, seconds: 1, complete: false }), progress);
    await (
      await said
    ).finished;
    expect(written).toEqual([]);
    let stop: (summary: DenseSummary) => void = () => {};
    const later = announce(new Promise((resolve) => (stop = resolve)), null);
    const { finished } = await later.said;
    expect(later.written).toEqual([
      'conexus: embedding its chunks in the background with onnx:bge-small-en-v1.5; answers are lexical until then\n',
    ]);
    stop({ embedded: 3, seconds: 1, complete: false });
    await finished;
    expect(later.written[1]).toBe('conexus: embedding stopped after 3 chunks; the next index run embeds the rest\n');
  });
});
