import { InvalidInput, type Payload, type PayloadOf, RuleViolation, type TSchema, type TUnsafe, Type, idsOf } from '@dotpha/kernel';
import { isIsoDate } from '@dotpha/org';
import { filled, requireOneOf, requireText } from '../input';
import { PROPOSAL_FIELDS } from '../fields';
import { LIMITS, arraySchema, enumSchema, idSchema, objectSchema, textSchema } from '../schema';
import { type ProposalReport, type ReportDraft, reportSchema } from './report';

/** C14-2.2: a proposal targets a bottleneck. */
export const PROBLEM_TYPES = ['unregulated', 'regulated-but-unsuitable'] as const;
export type ProblemType = (typeof PROBLEM_TYPES)[number];

const attachmentSchema = objectSchema({ name: textSchema(LIMITS.shortText, 1), uri: textSchema(LIMITS.uri, 1) });
export type Attachment = Payload<typeof attachmentSchema>;

/** What the proposer writes and may revise, around the report in the form `report` gives. */
const contentProperties = <R extends TSchema>(report: R) => ({
  title: textSchema(LIMITS.shortText, 1),
  field: enumSchema(PROPOSAL_FIELDS),
  problemType: enumSchema(PROBLEM_TYPES),
  /** A concrete scheme or project (đề án, dự án). */
  isScheme: Type.Boolean(),
  report,
  attachments: arraySchema(attachmentSchema, LIMITS.attachments),
  /** Units the proposal would apply to; [] means the proposer's own unit. */
  scopeUnitIds: idsOf(idSchema, LIMITS.scopeUnits),
  /** D73-10b: other cadres of the instance who made the proposal with the proposer. */
  coProposerIds: idsOf(idSchema, LIMITS.people),
  /** HN67-assign: the leader's assigned task this proposal answers, if any. */
  assignmentId: Type.Optional(idSchema),
});

/** The content as submitted (`complete`, the report whole) or as drafted and revised. */
export function contentSchemaProperties(complete: true): ReturnType<typeof contentProperties<TUnsafe<ProposalReport>>>;
export function contentSchemaProperties(complete: false): ReturnType<typeof contentProperties<TUnsafe<ReportDraft>>>;
export function contentSchemaProperties(complete: boolean) {
  return contentProperties(complete ? reportSchema(true) : reportSchema(false));
}

/** What the proposer writes and may revise; the report may be incomplete until submission. */
export type ProposalContent = PayloadOf<ReturnType<typeof contentProperties<TUnsafe<ReportDraft>>>>;

/** Content fields an event may leave out. */
export const OPTIONAL_CONTENT = ['assignmentId'] as const;

/** Copies only the content fields, so nothing else a command carries reaches an event. */
export function contentOf(source: ProposalContent): ProposalContent {
  const { title, field, problemType, isScheme, report, attachments, scopeUnitIds, coProposerIds, assignmentId } = source;
  return {
    title,
    field,
    problemType,
    isScheme,
    report,
    attachments,
    scopeUnitIds,
    coProposerIds: coProposerIds ?? [],
    ...(assignmentId === undefined ? {} : { assignmentId }),
  };
}

/** `proposerId`: the co-proposers are others than the proposer (D73-10b). */
export function checkContent(content: ProposalContent, proposerId: string): void {
  requireText(content.title, 'title');
  requireOneOf(content.field, PROPOSAL_FIELDS, 'field');
  if (!(PROBLEM_TYPES as readonly unknown[]).includes(content.problemType)) {
    const kinds = PROBLEM_TYPES.join(' | ');
    throw new RuleViolation('C14-2.2', `a proposal targets a matter not yet regulated, or regulated but unsuitable (${kinds})`, {
      problemType: content.problemType,
    });
  }
  if (typeof content.isScheme !== 'boolean') throw new InvalidInput('isScheme must be a boolean', { field: 'isScheme' });
  if (typeof content.report !== 'object' || content.report === null) {
    throw new InvalidInput('report must be an object', { field: 'report' });
  }
  content.attachments.forEach((attachment, i) => {
    if (!filled(attachment.name) || !filled(attachment.uri)) {
      throw new InvalidInput(`attachments[${i}] needs a name and a uri`, { field: `attachments[${i}]` });
    }
  });
  content.scopeUnitIds.forEach((unitId, i) => requireText(unitId, `scopeUnitIds[${i}]`));
  if (new Set(content.scopeUnitIds).size !== content.scopeUnitIds.length) {
    throw new InvalidInput('scopeUnitIds must not repeat a unit', { field: 'scopeUnitIds' });
  }
  content.coProposerIds.forEach((userId, i) => requireText(userId, `coProposerIds[${i}]`));
  if (new Set(content.coProposerIds).size !== content.coProposerIds.length) {
    throw new InvalidInput('coProposerIds must not repeat a person', { field: 'coProposerIds' });
  }
  if (content.coProposerIds.includes(proposerId)) {
    throw new InvalidInput('the proposer is not their own co-proposer', { field: 'coProposerIds' });
  }
  if (content.assignmentId !== undefined) requireText(content.assignmentId, 'assignmentId');
  // A draft may leave a date out, but a date written down must be one.
  (content.report.implementationPlan?.milestones ?? []).forEach((milestone, i) => {
    if (milestone.dueDate !== undefined && !isIsoDate(milestone.dueDate)) {
      throw new InvalidInput(`implementationPlan.milestones[${i}].dueDate must be an ISO date (YYYY-MM-DD)`, {
        field: `report.implementationPlan.milestones[${i}].dueDate`,
      });
    }
  });
}
