/** What one matrix product costs on this machine through the ONNX runtime the embedder uses. */
export interface MatmulThroughput {
  readonly kind: 'int8' | 'fp32';
  readonly threads: number;
  readonly gflops: number;
}

// Protocol-buffer encoding of the few ONNX messages a one-node model needs (onnx.proto field numbers).
const varint = (value: number): number[] => {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 127) {
    bytes.push((rest & 127) | 128);
    rest = Math.floor(rest / 128);
  }
  return [...bytes, rest];
};
const field = (number: number, payload: number[] | string | Uint8Array): number[] => {
  const bytes = typeof payload === 'string' ? [...Buffer.from(payload)] : [...payload];
  return [...varint((number << 3) | 2), ...varint(bytes.length), ...bytes];
};
const int = (number: number, value: number): number[] => [...varint(number << 3), ...varint(value)];
const tensorType = (elemType: number, dims: number[]): number[] =>
  field(1, [
    ...int(1, elemType),
    ...field(
      2,
      dims.flatMap((dim) => field(1, int(1, dim))),
    ),
  ]);
const valueInfo = (name: string, elemType: number, dims: number[]): number[] => [
  ...field(1, name),
  ...field(2, tensorType(elemType, dims)),
];

const FLOAT = 1;
const UINT8 = 2;
const INT8 = 3;
const INT32 = 6;

/**
 * A model of one product [m, k] x [k, n] with the weights as an initializer, as in the embedding model:
 * MatMulInteger (uint8 activations, int8 weights) or a float MatMul.
 */
function matmulModel(kind: MatmulThroughput['kind'], m: number, k: number, n: number): Uint8Array {
  const [aType, bType, outType, op] =
    kind === 'int8' ? [UINT8, INT8, INT32, 'MatMulInteger'] : [FLOAT, FLOAT, FLOAT, 'MatMul'];
  // why: float weights must be normal numbers; bytes read as floats would be denormals, which run far slower.
  const weights =
    kind === 'int8'
      ? new Uint8Array(k * n).map((_, i) => (i * 7) % 13)
      : new Uint8Array(new Float32Array(k * n).map((_, i) => ((i * 7) % 13) / 13 - 0.5).buffer);
  const initializer = [...dimsOf([k, n]), ...int(2, bType), ...field(8, 'b'), ...field(9, weights)];
  const node = [...field(1, 'a'), ...field(1, 'b'), ...field(2, 'y'), ...field(4, op)];
  const graph = [
    ...field(1, node),
    ...field(2, 'probe'),
    ...field(5, initializer),
    ...field(11, valueInfo('a', aType, [m, k])),
    ...field(12, valueInfo('y', outType, [m, n])),
  ];
  return Uint8Array.from([...int(1, 8), ...field(7, graph), ...field(8, int(2, 13))]);
}
const dimsOf = (dims: number[]): number[] => dims.flatMap((dim) => int(1, dim));

/** Measures GFLOP/s (2·m·k·n per product) of repeated products for about `seconds`, after a warm-up. */
export async function measureMatmul(
  kind: MatmulThroughput['kind'],
  threads: number,
  { m = 2048, k = 384, n = 1536, seconds = 3 } = {},
): Promise<MatmulThroughput> {
  // why: the runtime the embedder loads through transformers.js, so the bound is of the same kernels.
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(matmulModel(kind, m, k, n), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
  });
  const input =
    kind === 'int8'
      ? new ort.Tensor(
          'uint8',
          new Uint8Array(m * k).map((_, i) => i % 251),
          [m, k],
        )
      : new ort.Tensor(
          'float32',
          new Float32Array(m * k).map((_, i) => (i % 17) / 17),
          [m, k],
        );
  await session.run({ a: input });
  let runs = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    await session.run({ a: input });
    runs += 1;
  }
  const elapsed = (performance.now() - started) / 1000;
  await session.release();
  return { kind, threads, gflops: (2 * m * k * n * runs) / elapsed / 1e9 };
}
