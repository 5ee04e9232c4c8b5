/** JSON Schema fragments shared by the rewards aggregates' published events. */

export const id = { type: 'string', minLength: 1, maxLength: 100 };
export const instant = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z$' };
// Written records: blank text is no record at all.
export const statement = { type: 'string', minLength: 1, maxLength: 4000, pattern: '\\S' };
export const reasons = { type: 'array', minItems: 1, maxItems: 20, items: statement };
export const grounds = {
  type: 'array',
  minItems: 1,
  maxItems: 4,
  uniqueItems: true,
  items: { type: 'string', enum: ['self-interest', 'corruption', 'negativity', 'discipline-violation'] },
};

export const awardsSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  required: [],
  properties: {
    commendation: {
      type: 'object',
      additionalProperties: false,
      required: ['level', 'form'],
      properties: { level: { type: 'string', enum: ['praise', 'reward'] }, form: { type: 'string', minLength: 1, maxLength: 300, pattern: '\\S' } },
    },
    bonusPoints: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
    promotionPriority: { type: 'boolean' },
    planningPriority: { type: 'boolean' },
    salaryStepEarlyMonths: { type: 'integer', minimum: 1, maximum: 24 },
    excellentAchievement: { type: 'boolean' },
  },
};

const idList = { type: 'array', maxItems: 200, uniqueItems: true, items: id };

/** D73-10b: who the approved plan names (facts.ts ProposalPeople). */
export const peopleSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['proposerId', 'coProposerIds', 'implementerIds', 'approvingHeadId'],
  properties: { proposerId: id, coProposerIds: idList, implementerIds: idList, approvingHeadId: { anyOf: [id, { type: 'null' }] } },
};
