import type { DescEnum, DescField, DescMessage, Message } from '@bufbuild/protobuf';
import { isReflectMessage, reflect, type ReflectMessage } from '@bufbuild/protobuf/reflect';

/** The path of the first enum field (at any depth) holding a number its enum does not define, or null. */
export function findUnknownEnum(desc: DescMessage, message: Message): string | null {
  return walk(reflect(desc, message), '');
}

function walk(message: ReflectMessage, prefix: string): string | null {
  for (const field of message.fields) {
    if (!message.isSet(field)) continue;
    const path = `${prefix}${field.name}`;
    const found = checkField(field, message, path);
    if (found) return found;
  }
  return null;
}

function checkField(field: DescField, message: ReflectMessage, path: string): string | null {
  switch (field.fieldKind) {
    case 'enum':
      return defines(field.enum, message.get(field)) ? null : path;
    case 'message':
      return walk(message.get(field), `${path}.`);
    case 'list': {
      const list = message.get(field);
      for (let index = 0; index < list.size; index++) {
        const item: unknown = list.get(index);
        if (field.listKind === 'enum' && !defines(field.enum, item)) return `${path}[${index}]`;
        if (field.listKind === 'message' && isReflectMessage(item)) {
          const found = walk(item, `${path}[${index}].`);
          if (found) return found;
        }
      }
      return null;
    }
    case 'map': {
      for (const [key, value] of message.get(field)) {
        if (field.mapKind === 'enum' && !defines(field.enum, value)) return `${path}[${String(key)}]`;
        if (field.mapKind === 'message' && isReflectMessage(value)) {
          const found = walk(value, `${path}[${String(key)}].`);
          if (found) return found;
        }
      }
      return null;
    }
    default:
      return null;
  }
}

function defines(enumeration: DescEnum, value: unknown): boolean {
  return enumeration.values.some((candidate) => candidate.number === value);
}
