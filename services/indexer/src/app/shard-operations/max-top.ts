/** The most results one shard returns for a search or symbol lookup, whatever the caller asks. */
export const MAX_TOP = 200;
