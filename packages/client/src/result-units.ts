import { ResultUnit } from '@conexus/api';

/** The result units by the names tools and HTTP parameters use for them. */
export const RESULT_UNITS = { chunk: ResultUnit.CHUNK, symbol: ResultUnit.SYMBOL, file: ResultUnit.FILE } as const;
