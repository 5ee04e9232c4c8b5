import { isDeepStrictEqual } from 'util';

/**
 * What a new AsyncAPI document of the contract breaks for the readers of the committed one
 * (issue 15): a message (an event at a version) whose payload changed shape, a published event
 * that is gone, and a new version of an event that its previous version's readers cannot read:
 * a field they know removed or changed, or a field they rely on no longer required.
 */
export function compatibilityProblems(committed: unknown, next: unknown): string[] {
  const before = messagesOf(committed);
  const after = messagesOf(next);
  const problems: string[] = [];
  for (const [name, message] of before) {
    const now = after.get(name);
    if (now) {
      if (!isDeepStrictEqual(now.payload, message.payload)) problems.push(`${name} changed shape without a new version`);
      continue;
    }
    const successors = [...after.values()].filter((m) => m.type === message.type && m.version > message.version);
    if (successors.length === 0) {
      problems.push(`${name} is no longer published`);
      continue;
    }
    for (const successor of successors) problems.push(...readableBy(message, successor));
  }
  return problems;
}

interface Message {
  readonly name: string;
  readonly type: string;
  readonly version: number;
  readonly payload: Schema;
}

interface Schema {
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly required?: readonly string[];
}

function messagesOf(document: unknown): Map<string, Message> {
  const messages = ((document as { components?: { messages?: Record<string, { name: string; payload: Schema }> } }).components?.messages) ?? {};
  return new Map(
    Object.entries(messages).map(([name, m]) => {
      const version = Number(/\.v(\d+)$/.exec(name)?.[1] ?? NaN);
      return [name, { name, type: m.name, version, payload: m.payload }];
    }),
  );
}

/** Problems a reader of `older` meets reading `newer`: every field it knows is there, of the same shape, and required where it was. */
function readableBy(older: Message, newer: Message): string[] {
  const problems: string[] = [];
  const compare = (path: string, before: Schema | undefined, after: Schema | undefined) => {
    for (const [field, schema] of Object.entries(before?.properties ?? {})) {
      const next = after?.properties?.[field];
      if (next === undefined) problems.push(`${newer.name} drops ${path}${field}, which readers of ${older.name} know`);
      else if (field === 'data') compare('data.', schema as Schema, next as Schema);
      else if (!(path === '' && field === 'version') && !isDeepStrictEqual(schema, next)) problems.push(`${newer.name} changes ${path}${field} from what readers of ${older.name} know`);
    }
    for (const field of before?.required ?? []) {
      if (!(after?.required ?? []).includes(field)) problems.push(`${newer.name} no longer requires ${path}${field}, which readers of ${older.name} rely on`);
    }
  };
  compare('', older.payload, newer.payload);
  return problems;
}
