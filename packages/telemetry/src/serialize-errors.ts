import { stdSerializers } from 'pino';

/**
 * Copies `value` with every Error in it, however deep, replaced by its type, message, stack, own fields (such as a
 * ConexusError's code) and `cause` chain, which JSON.stringify would drop.
 */
export function serializeErrors(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (value instanceof Error) return stdSerializers.errWithCause(value);
  if (value === null || typeof value !== 'object' || seen.has(value)) return value;
  // why: only plain objects and arrays are walked; a Map, a Buffer or a class instance keeps its own JSON form.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (Array.isArray(value)) {
    seen.add(value);
    return value.map((item) => serializeErrors(item, seen));
  }
  if (proto !== Object.prototype && proto !== null) return value;
  seen.add(value);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, serializeErrors(item, seen)]));
}
