import { describe, expect, it } from '@jest/globals';
import type { IndexProgress } from '@conexus/engine';
import { createProgressDisplay, type ProgressMode } from './progress-display.js';

function display(mode: ProgressMode, columns = 200) {
  const written: string[] = [];
  let clock = 0;
  const shown = createProgressDisplay({ mode, write: (text) => written.push(text), columns, now: () => clock });
  return { shown, written, tick: (ms: number) => (clock += ms) };
}

const files = (done: number): IndexProgress => ({ repo: 'app', phase: 'indexing', done, total: 10, perSecond: 5 });
const vectors = (done: number): IndexProgress => ({ repo: 'app', phase: 'embedding', done, total: 100, perSecond: 20 });

describe('createProgressDisplay', () => {
  it('redraws one line on a terminal, at most every 100 ms, and clears it at the end', () => {
    const { shown, written, tick } = display('line');
    shown.show(files(1));
    tick(50);
    shown.show(files(2));
    tick(60);
    shown.show(files(3));
    shown.committed(40);
    shown.show(vectors(0));
    shown.clear();
    expect(written).toEqual([
      '\rindexing app: files 1/10, 5.0 files/s, about 2 s left\x1b[K',
      '\rindexing app: files 3/10, 5.0 files/s, about 1 s left\x1b[K',
      '\rembedding app: 40 chunks, embedded 0/100, 20.0 chunks/s, about 5 s left\x1b[K',
      '\r\x1b[K',
    ]);
  });

  it('cuts the line to the terminal width, so that redrawing never wraps', () => {
    const { shown, written } = display('line', 30);
    shown.show(files(1));
    expect(written[0]).toBe('\rindexing app: files 1/10, 5.0\x1b[K');
  });

  it('writes JSON progress events, one per line, at most every 500 ms but always the last of a phase', () => {
    const { shown, written, tick } = display('json');
    shown.show(vectors(10));
    tick(100);
    shown.show(vectors(20));
    shown.show(vectors(100));
    shown.clear();
    expect(written.map((line) => JSON.parse(line) as unknown)).toEqual([
      { event: 'progress', repo: 'app', phase: 'embedding', done: 10, total: 100, perSecond: 20, etaSeconds: 4.5 },
      { event: 'progress', repo: 'app', phase: 'embedding', done: 100, total: 100, perSecond: 20, etaSeconds: 0 },
    ]);
  });

  it('shows nothing when off', () => {
    const { shown, written } = display('none');
    shown.show(files(1));
    shown.clear();
    expect(written).toEqual([]);
  });
});
