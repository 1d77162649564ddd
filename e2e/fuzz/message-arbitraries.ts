import { ScalarType, type DescEnum, type DescField, type DescMessage } from '@bufbuild/protobuf';
import fc from 'fast-check';

/** A JSON object as the Connect JSON encoding sends a message. */
export type JsonObject = Record<string, unknown>;

/** Strings that reach odd corners of names, paths, globs, URLs and queries. */
export const AWKWARD_STRINGS = [
  '',
  ' ',
  '.',
  '..',
  '../..',
  '/',
  '//',
  '/etc/passwd',
  '../../../../etc/passwd',
  'a/../../b',
  '*',
  '**',
  '?',
  '[',
  '(',
  '\\',
  '%',
  '%00',
  '\u0000',
  'x\u0000y',
  '\n',
  '\r\n',
  '\t',
  'null',
  'undefined',
  '-',
  '--help',
  '@',
  '+',
  'a'.repeat(300),
  '🙂',
  '\u202e',
  'Cart.*',
  'ShippingCost',
  '^.*$',
  '(a+)+$',
  'https://example.invalid/x.git',
  'file:///etc',
  'git@example.invalid:a/b.git',
  'ext::sh -c id',
  '-uupload-pack=id',
];

const stringArb = (known: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...AWKWARD_STRINGS, ...known), weight: 3 },
    { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 1 },
  );

const INT32 = [ScalarType.INT32, ScalarType.SINT32, ScalarType.SFIXED32];
const UINT32 = [ScalarType.UINT32, ScalarType.FIXED32];
const INT64 = [ScalarType.INT64, ScalarType.SINT64, ScalarType.SFIXED64];
const UINT64 = [ScalarType.UINT64, ScalarType.FIXED64];

function scalarArb(scalar: ScalarType, known: readonly string[]): fc.Arbitrary<unknown> {
  if (scalar === ScalarType.STRING) return stringArb(known);
  if (scalar === ScalarType.BOOL) return fc.boolean();
  if (scalar === ScalarType.BYTES)
    return fc.uint8Array({ maxLength: 48 }).map((bytes) => Buffer.from(bytes).toString('base64'));
  if (INT32.includes(scalar)) return fc.oneof(fc.constantFrom(0, 1, -1, 2 ** 31 - 1, -(2 ** 31)), fc.integer());
  if (UINT32.includes(scalar))
    return fc.oneof(fc.constantFrom(0, 1, 2, 3, 50, 10_000, 2 ** 31, 2 ** 32 - 1), fc.nat({ max: 2 ** 32 - 1 }));
  if (INT64.includes(scalar)) return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String);
  if (UINT64.includes(scalar)) return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String);
  if (scalar === ScalarType.FLOAT)
    return fc.oneof(
      fc.float({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom('NaN', 'Infinity', '-Infinity'),
    );
  return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom('NaN', 'Infinity', '-Infinity'));
}

const enumArb = (desc: DescEnum): fc.Arbitrary<unknown> =>
  fc.constantFrom(...desc.values.map((value) => value.name), ...desc.values.map((value) => value.number));

function fieldValueArb(field: DescField, known: readonly string[], depth: number): fc.Arbitrary<unknown> {
  switch (field.fieldKind) {
    case 'scalar':
      return scalarArb(field.scalar, known);
    case 'enum':
      return enumArb(field.enum);
    case 'message':
      return validJson(field.message, known, depth - 1);
    case 'list': {
      const item =
        field.listKind === 'scalar'
          ? scalarArb(field.scalar, known)
          : field.listKind === 'enum'
            ? enumArb(field.enum)
            : validJson(field.message, known, depth - 1);
      return fc.array(item, { maxLength: 4 });
    }
    case 'map': {
      const value =
        field.mapKind === 'scalar'
          ? scalarArb(field.scalar, known)
          : field.mapKind === 'enum'
            ? enumArb(field.enum)
            : validJson(field.message, known, depth - 1);
      const key =
        field.mapKey === ScalarType.STRING
          ? fc.string({ maxLength: 8 })
          : field.mapKey === ScalarType.BOOL
            ? fc.constantFrom('true', 'false')
            : fc.nat({ max: 1000 }).map(String);
      return fc.dictionary(key, value, { maxKeys: 3 });
    }
  }
}

/**
 * Messages of `desc` in the Connect JSON encoding, with fields of the right types (at most one member of each
 * oneof), values drawn from `known` names and awkward strings; nested messages down to `depth`.
 */
export function validJson(desc: DescMessage, known: readonly string[] = [], depth = 3): fc.Arbitrary<JsonObject> {
  if (depth <= 0) return fc.constant({});
  const plain = desc.fields.filter((field) => !field.oneof);
  const record = fc.record(
    Object.fromEntries(plain.map((field) => [field.jsonName, fieldValueArb(field, known, depth)])),
    { requiredKeys: [] },
  );
  const oneofs = desc.oneofs.map((oneof) =>
    fc.option(
      fc.oneof(
        ...oneof.fields.map((field) =>
          fieldValueArb(field, known, depth).map((value): JsonObject => ({ [field.jsonName]: value })),
        ),
      ),
      { nil: {} },
    ),
  );
  return fc.tuple(record, ...oneofs).map(([fields, ...members]) => Object.assign({}, fields, ...members) as JsonObject);
}

/** The kinds of malformed message this module makes; each answer is invalid_argument, whatever the method. */
export type Malformation =
  'wrong-type' | 'unknown-field' | 'unknown-enum-name' | 'unknown-enum-number' | 'out-of-range-number' | 'deep-nesting';

/** A field somewhere in a message: the path of JSON keys to the message holding it, and the field. */
interface FieldSite {
  readonly path: readonly string[];
  readonly field: DescField;
}

function fieldSites(desc: DescMessage, path: readonly string[] = [], depth = 3): FieldSite[] {
  if (depth <= 0) return [];
  return desc.fields.flatMap((field) => [
    { path, field },
    ...(field.fieldKind === 'message' ? fieldSites(field.message, [...path, field.jsonName], depth - 1) : []),
  ]);
}

const isInteger = (field: DescField): boolean =>
  (field.fieldKind === 'scalar' || (field.fieldKind === 'list' && field.listKind === 'scalar')) &&
  [...INT32, ...UINT32, ...INT64, ...UINT64].includes(field.scalar);
const enumOf = (field: DescField): DescEnum | undefined =>
  field.fieldKind === 'enum'
    ? field.enum
    : field.fieldKind === 'list' && field.listKind === 'enum'
      ? field.enum
      : undefined;

/** Values of a JSON type the field cannot hold (JSON null is the field's default, so it is never one). */
function wrongValueArb(field: DescField): fc.Arbitrary<unknown> {
  const object = fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), {
    minKeys: 1,
    maxKeys: 3,
  });
  const array = fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 1, maxLength: 3 });
  const word = fc
    .string({ minLength: 1, maxLength: 10 })
    .filter(
      (text) => !/^\s*[-+]?[\d.]/.test(text) && !['NaN', 'Infinity', '-Infinity', 'true', 'false'].includes(text),
    );
  if (field.fieldKind === 'list' || field.fieldKind === 'map')
    return fc.oneof(fc.boolean(), fc.integer(), word, field.fieldKind === 'list' ? object : array);
  if (field.fieldKind === 'message') return fc.oneof(fc.boolean(), fc.integer(), word, array);
  if (field.fieldKind === 'enum') return fc.oneof(fc.boolean(), object, array);
  if (field.scalar === ScalarType.STRING || field.scalar === ScalarType.BYTES)
    return fc.oneof(fc.boolean(), fc.integer(), object, array);
  if (field.scalar === ScalarType.BOOL) return fc.oneof(fc.integer(), word, object, array);
  return fc.oneof(fc.boolean(), word, object, array);
}

function outOfRangeArb(field: DescField): fc.Arbitrary<unknown> {
  const scalar = field.scalar!;
  const fraction = fc.constantFrom(0.5, 1.5, -2.25, 1e-300, '1.5');
  if (UINT32.includes(scalar))
    return fc.oneof(
      fc.constantFrom(-1, 2 ** 32, 2 ** 53 + 2, 1e300, -1e300, '-1', '4294967296'),
      fraction,
      fc.integer({ max: -1 }),
    );
  if (INT32.includes(scalar)) return fc.oneof(fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 1e300, '2147483648'), fraction);
  if (UINT64.includes(scalar))
    return fc.oneof(fc.constantFrom('-1', '18446744073709551616', '1e400', '0x10', 1e300, -1), fraction);
  return fc.oneof(fc.constantFrom('9223372036854775808', '-9223372036854775809', '1e400', '0x10', 1e300), fraction);
}

const asObject = (value: unknown): JsonObject =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : {};

/** A copy of `message` with `key` set to `value` in the message at `path` (made when absent). */
function setAt(message: JsonObject, path: readonly string[], key: string, value: unknown): JsonObject {
  const copy: JsonObject = { ...message };
  const [head, ...rest] = path;
  // why: defineProperty, so that a key such as "__proto__" is sent as a key rather than setting a prototype.
  Object.defineProperty(copy, head ?? key, {
    value: head === undefined ? value : setAt(asObject(copy[head]), rest, key, value),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

// why: a oneof member set beside another is invalid on its own; the mutation must be the only fault.
const withoutOneofSiblings = (message: JsonObject, site: FieldSite): JsonObject =>
  site.path.length === 0 && site.field.oneof
    ? Object.fromEntries(
        Object.entries(message).filter(
          ([key]) => !site.field.oneof!.fields.some((other) => other !== site.field && other.jsonName === key),
        ),
      )
    : message;

/**
 * Messages of `desc` broken in one way, `malformation`, placed at any depth; null when `desc` has nowhere to
 * put it (no fields, no enum, no integer).
 */
export function malformedJson(
  desc: DescMessage,
  malformation: Malformation,
  known: readonly string[] = [],
): fc.Arbitrary<JsonObject> | null {
  const sites = fieldSites(desc);
  const base = validJson(desc, known, 2);
  const at = (
    candidates: FieldSite[],
    value: (site: FieldSite) => fc.Arbitrary<unknown>,
  ): fc.Arbitrary<JsonObject> | null =>
    candidates.length === 0
      ? null
      : fc
          .tuple(base, fc.constantFrom(...candidates))
          .chain(([message, site]) =>
            value(site).map((bad) => setAt(withoutOneofSiblings(message, site), site.path, site.field.jsonName, bad)),
          );
  switch (malformation) {
    case 'wrong-type':
      return at(sites, (site) => wrongValueArb(site.field));
    case 'unknown-field': {
      const messages = [
        { path: [] as string[], desc },
        ...sites
          .filter((site) => site.field.fieldKind === 'message')
          .map((site) => ({ path: [...site.path, site.field.jsonName], desc: site.field.message! })),
      ];
      const names = (message: DescMessage) => new Set(message.fields.flatMap((field) => [field.jsonName, field.name]));
      return fc
        .tuple(
          base,
          fc.constantFrom(...messages),
          fc.oneof(
            fc.constantFrom('qeury', 'repo_name', 'topk', 'Query', '@type', '__proto__', 'constructor', ''),
            fc.string({ maxLength: 12 }),
          ),
          fc.jsonValue({ maxDepth: 1 }),
        )
        .filter(([, target, key]) => !names(target.desc).has(key))
        .map(([message, target, key, value]) => setAt(message, target.path, key, value));
    }
    case 'unknown-enum-name':
      return at(
        sites.filter((site) => enumOf(site.field)),
        (site) => {
          const names = new Set(enumOf(site.field)!.values.map((value) => value.name));
          const name = fc
            .oneof(fc.constantFrom('NOPE', 'chunk', 'CHUNK', 'result_unit_chunk', ''), fc.string({ maxLength: 12 }))
            .filter((text) => !names.has(text));
          return site.field.fieldKind === 'list' ? name.map((text) => [text]) : name;
        },
      );
    case 'unknown-enum-number':
      return at(
        sites.filter((site) => enumOf(site.field)),
        (site) => {
          const numbers = new Set(enumOf(site.field)!.values.map((value) => value.number));
          const number = fc
            .oneof(fc.constantFrom(-1, 4, 99, 2 ** 31 - 1, -(2 ** 31)), fc.integer())
            .filter((value) => !numbers.has(value));
          return site.field.fieldKind === 'list' ? number.map((value) => [value]) : number;
        },
      );
    case 'out-of-range-number':
      return at(
        sites.filter((site) => isInteger(site.field)),
        (site) =>
          site.field.fieldKind === 'list'
            ? outOfRangeArb(site.field).map((value) => [value])
            : outOfRangeArb(site.field),
      );
    case 'deep-nesting':
      return at(sites, () =>
        fc
          .integer({ min: 200, max: 3_000 })
          .chain((depth) => fc.constantFrom<unknown>(nest(depth, 'array'), nest(depth, 'object'))),
      );
  }
}

function nest(depth: number, shape: 'array' | 'object'): unknown {
  let value: unknown = shape === 'array' ? [] : {};
  for (let level = 0; level < depth; level++) value = shape === 'array' ? [value] : { a: value };
  return value;
}
