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
    const field = query.sort && `data.${query.sort.field}`;
    // The bound on the sort field alone (implied by the keyset) lets every index plan start its walk at the cursor.
    if (field) parts.push({ [field]: { [`${beyond}e`]: value } }, { $or: [{ [field]: { [beyond]: value } }, { [field]: value, _id: { [beyond]: id } }] });
    else parts.push({ _id: { [beyond]: id } });
  }
  return parts.length === 0 ? {} : parts.length === 1 ? parts[0] : { $and: parts };
}

export function pageSort(query: ReadModelQuery): Record<string, 1 | -1> {
  const direction = query.sort?.direction === 'desc' ? -1 : 1;
  return query.sort ? { [`data.${query.sort.field}`]: direction, _id: direction } : { _id: 1 };
}

/**
 * Indexes for the query's shape, by MongoDB's ESR rule: for each alternative of `anyOf`, its
 * equality fields (those of `where` with them), then the sort field and `_id`, then its range
 * fields; and the sort field with `_id` alone. A server with indexes then reads each alternative in
 * order from the cursor and merges them (SORT_MERGE), or, for a list most documents are in, walks
 * the sort order and filters; either way it stops after the page instead of sorting the collection.
 */
export function indexesFor(query: ReadModelQuery): Record<string, 1 | -1>[] {
  const isEquality = (c: FieldCondition) => c === null || typeof c !== 'object' || 'in' in c;
  const fields = (conditions: Conditions, equality: boolean) => Object.entries(conditions).filter(([, c]) => isEquality(c) === equality).map(([f]) => `data.${f}`).sort();
  const where = query.where ?? {};
  const branches = query.anyOf?.length ? query.anyOf : [{}];
  const sort = pageSort(query);
  const keys = branches.map((branch) => {
    const [equalities, ranges] = [true, false].map((equality) => [...new Set([...fields(where, equality), ...fields(branch, equality)])]);
    return { ...Object.fromEntries(equalities.map((f) => [f, 1 as const])), ...sort, ...Object.fromEntries(ranges.filter((f) => !(f in sort)).map((f) => [f, 1 as const])) };
  });
  if (query.sort) keys.push(sort);
  const distinct = new Map(keys.map((k) => [JSON.stringify(k), k]));
  return [...distinct.values()].filter((k) => Object.keys(k).some((f) => f !== '_id'));
}
