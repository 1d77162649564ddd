#!/usr/bin/env node
// Writes the values table of deploy/helm/conexus/README.md from the `# --` comments of values.yaml.
// `--check` writes nothing and exits 1 when the table is out of date or a value has no `# --` comment.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, parseDocument } from 'yaml';

const CHART = join(dirname(fileURLToPath(import.meta.url)), 'conexus');
const START = '<!-- values-table:start -->';
const END = '<!-- values-table:end -->';

/** The `# --` description in a comment block, or null when it has none. */
function description(comment) {
  if (!comment) return null;
  const lines = comment.split('\n').map((line) => line.trim());
  const first = lines.findLastIndex((line) => line.startsWith('--'));
  if (first < 0) return null;
  return lines
    .slice(first)
    .join(' ')
    .replace(/^--\s*/, '')
    .trim();
}

/** Rows [key, default, description] of a map's documented values; undocumented leaves go to `missing`. */
function rows(map, prefix, missing) {
  return map.items.flatMap((pair, index) => {
    const key = `${prefix}${pair.key.value}`;
    // why: the parser hangs the comment above a map's first key on the map itself.
    const text = description(pair.key.commentBefore) ?? (index === 0 ? description(map.commentBefore) : null);
    if (text) return [[key, JSON.stringify(pair.value?.toJSON() ?? null), text]];
    if (isMap(pair.value) && pair.value.items.length > 0) return rows(pair.value, `${key}.`, missing);
    missing.push(key);
    return [];
  });
}

/** The Markdown table of every value in values.yaml. */
function valuesTable(missing) {
  const doc = parseDocument(readFileSync(join(CHART, 'values.yaml'), 'utf8'));
  const cell = (text) => text.replaceAll('|', '\\|');
  const lines = rows(doc.contents, '', missing).map(
    ([key, value, text]) => `| \`${key}\` | \`${cell(value)}\` | ${cell(text)} |`,
  );
  return ['| Key | Default | Description |', '|---|---|---|', ...lines].join('\n');
}

const missing = [];
const readmePath = join(CHART, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const [head, rest] = readme.split(START);
if (rest === undefined || !rest.includes(END)) throw new Error(`${readmePath} lacks the ${START} … ${END} markers`);
const updated = `${head}${START}\n${valuesTable(missing)}\n${END}${rest.slice(rest.indexOf(END) + END.length)}`;
if (missing.length > 0) {
  console.error(`values without a "# --" description: ${missing.join(', ')}`);
  process.exitCode = 1;
}
if (process.argv.includes('--check')) {
  if (updated !== readme) {
    console.error(
      'deploy/helm/conexus/README.md: the values table is out of date; run node deploy/helm/values-table.mjs',
    );
    process.exitCode = 1;
  }
} else {
  writeFileSync(readmePath, updated);
}
