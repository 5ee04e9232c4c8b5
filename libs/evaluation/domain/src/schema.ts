/** JSON Schema blocks the evaluation context's published events share. */
export const id = { type: 'string', minLength: 1, maxLength: 100 };
export const ids = { type: 'array', maxItems: 200, uniqueItems: true, items: id };
export const instant = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z$' };
// Written records: blank text is no record at all.
export const statement = { type: 'string', minLength: 1, maxLength: 4000, pattern: '\\S' };
export const document = { type: 'string', minLength: 1, maxLength: 50000, pattern: '\\S' };
export const findingSchema = { type: 'string', enum: ['substantiated', 'dismissed'] };
export const abuseGrounds = ['self-interest', 'corruption', 'negativity', 'discipline-violation'] as const;
