/** JSON with object keys sorted at every level, so equal values always hash the same. */
export function canonicalJson(value: unknown): string {
  // why: normalize through JSON first so the hash of an event equals the hash of its stored, re-read copy
  // (undefined fields dropped, undefined array items become null, toJSON applied).
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('canonicalJson: value has no JSON form');
  return canonicalJsonOfParsed(JSON.parse(text) as unknown);
}

/** canonicalJson of a value already in its JSON form (as JSON.parse returns it), without the round trip. */
export function canonicalJsonOfParsed(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJsonOfParsed).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    // why: sort by UTF-16 code units (the default sort), which any language can reproduce.
    return `{${Object.keys(object)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJsonOfParsed(object[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
