import { type Conditions, type FieldCondition, type ReadModelQuery, readCursor } from '@dotpha/kernel';

type Filter = Record<string, unknown>;

const operand = (condition: FieldCondition): unknown => {
  if (condition === null || typeof condition !== 'object') return condition;
  if ('in' in condition) return { $in: condition.in };
  return 'gt' in condition ? { $gt: condition.gt } : { $lt: condition.lt };
};

const filterOf = (conditions: Conditions): Filter => Object.fromEntries(Object.entries(conditions).map(([field, c]) => [`data.${field}`, operand(c)]));

/** The query's conditions on the stored rows; with the keyset of its cursor when `withCursor`. */
export function pageFilter(query: ReadModelQuery, withCursor: boolean): Filter {
  const parts: Filter[] = [];
  if (query.where && Object.keys(query.where).length) parts.push(filterOf(query.where));
  if (query.anyOf) parts.push({ $or: query.anyOf.map(filterOf) });
  if (withCursor && query.after !== undefined) {
    const { value, id } = readCursor(query.after);
    const beyond = query.sort?.direction === 'desc' ? '$lt' : '$gt';
    parts.push(query.sort ? { $or: [{ [`data.${query.sort.field}`]: { [beyond]: value } }, { [`data.${query.sort.field}`]: value, _id: { [beyond]: id } }] } : { _id: { [beyond]: id } });
  }
  return parts.length === 0 ? {} : parts.length === 1 ? parts[0] : { $and: parts };
}

export function pageSort(query: ReadModelQuery): Record<string, 1 | -1> {
  const direction = query.sort?.direction === 'desc' ? -1 : 1;
  return query.sort ? { [`data.${query.sort.field}`]: direction, _id: direction } : { _id: 1 };
}

/**
 * Indexes for the query's shape (equality first, then the sort: MongoDB's ESR rule), one per
 * alternative of `anyOf`, so a server with indexes merges the alternatives in order and stops
 * after the page instead of sorting the collection.
 */
export function indexesFor(query: ReadModelQuery): Record<string, 1 | -1>[] {
  const equalities = (conditions: Conditions) => Object.entries(conditions).filter(([, c]) => c === null || typeof c !== 'object' || 'in' in c).map(([f]) => `data.${f}`).sort();
  const base = equalities(query.where ?? {});
  const branches = query.anyOf?.length ? query.anyOf.map(equalities) : [[]];
  return branches
    .map((branch) => ({ ...Object.fromEntries([...new Set([...base, ...branch])].map((f) => [f, 1 as const])), ...pageSort(query) }))
    .filter((keys) => Object.keys(keys).some((k) => k !== '_id'));
}
