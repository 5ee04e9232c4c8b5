import { type Payload, RuleViolation, type TSchema, type TString, type TUnsafe, Type } from '@dotpha/kernel';
import { isIsoDate } from '@dotpha/org';
import { filled } from '../input';
import { LIMITS, arraySchema, isoDateSchema, objectSchema, textSchema } from '../schema';

const RESOURCE_KINDS = ['funding', 'people', 'equipment', 'other'] as const;

/**
 * One schema builds both forms, so a draft and a submission cannot drift apart: `complete`, every
 * section required and written (the types below are this form's); otherwise any part may be missing.
 */
function buildReport(complete: boolean) {
  const min = complete ? 1 : 0;
  // The draft's static type is ReportDraft (below), not what this builder claims for it.
  const shape = <P extends Record<string, TSchema>, const O extends string = never>(properties: P, optional: readonly O[] = []) =>
    objectSchema(properties, complete ? optional : (Object.keys(properties) as O[]));
  const long = textSchema(LIMITS.longText, min);
  const short = textSchema(LIMITS.shortText, min);
  const target = shape({ indicator: short, target: short, unit: short });
  const objective = shape({ description: long, targets: arraySchema(target, LIMITS.targetsPerObjective, min) });
  /** `dueDate`: an ISO date. */
  const milestone = shape({ name: short, dueDate: isoDateSchema });
  /** At least one kind must be stated (D73-7). */
  const resources = shape(
    Object.fromEntries(RESOURCE_KINDS.map((kind) => [kind, textSchema(LIMITS.longText)])) as Record<(typeof RESOURCE_KINDS)[number], TString>,
    RESOURCE_KINDS,
  );
  return shape(
    {
      necessity: long,
      basis: long,
      impactForecast: shape({ positive: long, negative: long, expectedEffectiveness: long }),
      feasibility: long,
      currentSituation: long,
      content: long,
      objectives: arraySchema(objective, LIMITS.objectives, min),
      implementationPlan: shape({ milestones: arraySchema(milestone, LIMITS.milestones, min), roadmap: textSchema(LIMITS.longText) }, ['roadmap']),
      resources: complete ? { ...resources, minProperties: 1 } : resources,
      organization: long,
      recommendations: long,
    },
  );
}
const completeForm = buildReport(true);

/** The proposal report of DOMAIN.md §4.2 (HN67-report, D73-7). */
export type ProposalReport = Payload<typeof completeForm>;
export type ImpactForecast = ProposalReport['impactForecast'];
export type Objective = ProposalReport['objectives'][number];
export type Target = Objective['targets'][number];
export type Milestone = ProposalReport['implementationPlan']['milestones'][number];
export type Resources = ProposalReport['resources'];

type DeepPartial<T> = T extends readonly (infer U)[]
  ? readonly DeepPartial<U>[]
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** A report being written: any part may still be missing. */
export type ReportDraft = DeepPartial<ProposalReport>;

/** The report's published schema: complete in a submission, a draft in a drafted or revised proposal. */
export function reportSchema(complete: true): TUnsafe<ProposalReport>;
export function reportSchema(complete: false): TUnsafe<ReportDraft>;
export function reportSchema(complete: boolean): TUnsafe<ProposalReport | ReportDraft> {
  return Type.Unsafe<ProposalReport | ReportDraft>(complete ? completeForm : buildReport(false));
}

const TEXT_SECTIONS = [
  'necessity',
  'basis',
  'feasibility',
  'currentSituation',
  'content',
  'organization',
  'recommendations',
] as const;
const TARGET_PARTS = ['indicator', 'target', 'unit'] as const;

type ReportClause = 'HN67-report' | 'D73-7';

/** The parts a submission still lacks, each with the clause that asks for it. */
export function reportGaps(report: ReportDraft): readonly { readonly path: string; readonly clause: ReportClause }[] {
  const gaps: { path: string; clause: ReportClause }[] = [];
  const need = (ok: boolean, path: string, clause: ReportClause = 'HN67-report') => {
    if (!ok) gaps.push({ path, clause });
  };
  for (const section of TEXT_SECTIONS) need(filled(report[section]), section);
  need(filled(report.impactForecast?.positive), 'impactForecast.positive');
  need(filled(report.impactForecast?.negative), 'impactForecast.negative', 'D73-7');
  need(filled(report.impactForecast?.expectedEffectiveness), 'impactForecast.expectedEffectiveness', 'D73-7');

  const objectives = report.objectives ?? [];
  need(objectives.length > 0, 'objectives');
  objectives.forEach((objective, i) => {
    need(filled(objective.description), `objectives[${i}].description`);
    const targets = objective.targets ?? [];
    need(targets.length > 0, `objectives[${i}].targets`);
    targets.forEach((target, j) =>
      TARGET_PARTS.forEach((part) => need(filled(target[part]), `objectives[${i}].targets[${j}].${part}`)),
    );
  });

  const milestones = report.implementationPlan?.milestones ?? [];
  need(milestones.length > 0, 'implementationPlan.milestones');
  milestones.forEach((milestone, i) => {
    need(filled(milestone.name), `implementationPlan.milestones[${i}].name`);
    need(isIsoDate(milestone.dueDate), `implementationPlan.milestones[${i}].dueDate`, 'D73-7');
  });

  need(RESOURCE_KINDS.some((kind) => filled(report.resources?.[kind])), 'resources', 'D73-7');
  return gaps;
}

/** The report as submitted, or a RuleViolation naming every missing part (HN67-report first). */
export function completeReport(report: ReportDraft): ProposalReport {
  const gaps = reportGaps(report);
  if (gaps.length === 0) return report as ProposalReport;
  const missing = gaps.map((gap) => gap.path);
  const clause = gaps.some((gap) => gap.clause === 'HN67-report') ? 'HN67-report' : 'D73-7';
  throw new RuleViolation(clause, `the report cannot be submitted without: ${missing.join(', ')}`, { missing });
}
