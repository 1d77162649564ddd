/** Skips records until the first whose seq is at least fromSeq, then passes everything on in storage order. */
export async function* fromSeqOnward<T extends { readonly seq: number }>(
  records: AsyncIterable<T>,
  fromSeq: number | undefined,
): AsyncGenerator<T> {
  // why: a tampered copy stored late with a low seq must still reach the verifier, so only the head is skipped.
  let started = fromSeq === undefined || fromSeq <= 1;
  for await (const record of records) {
    if (!started && record.seq >= fromSeq!) started = true;
    if (started) yield record;
  }
}
