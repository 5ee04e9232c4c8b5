import { type TSchema, type TUnsafe, RuleViolation, Type } from '@dotpha/kernel';
import { isIsoDate } from '@dotpha/org';
import { filled } from '../input';
import { LIMITS, arraySchema, isoDateSchema, objectSchema, textSchema } from '../schema';

export interface Target {
  readonly indicator: string;
  readonly target: string;
  readonly unit: string;
}

export interface Objective {
  readonly description: string;
  readonly targets: readonly Target[];
}

export interface Milestone {
  readonly name: string;
  /** ISO date. */
  readonly dueDate: string;
}

export interface ImpactForecast {
  readonly positive: string;
  readonly negative: string;
  readonly expectedEffectiveness: string;
}

/** At least one kind must be stated (D73-7). */
export interface Resources {
  readonly funding?: string;
  readonly people?: string;
  readonly equipment?: string;
  readonly other?: string;
}

/** The proposal report of DOMAIN.md §4.2 (HN67-report, D73-7). */
export interface ProposalReport {
  readonly necessity: string;
  readonly basis: string;
  readonly impactForecast: ImpactForecast;
  readonly feasibility: string;
  readonly currentSituation: string;
  readonly content: string;
  readonly objectives: readonly Objective[];
  readonly implementationPlan: { readonly milestones: readonly Milestone[]; readonly roadmap?: string };
  readonly resources: Resources;
  readonly organization: string;
  readonly recommendations: string;
}

type DeepPartial<T> = T extends readonly (infer U)[]
  ? readonly DeepPartial<U>[]
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** A report being written: any part may still be missing. */
export type ReportDraft = DeepPartial<ProposalReport>;

const TEXT_SECTIONS = [
  'necessity',
  'basis',
  'feasibility',
  'currentSituation',
  'content',
  'organization',
  'recommendations',
] as const;
const RESOURCE_KINDS = ['funding', 'people', 'equipment', 'other'] as const;
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

/**
 * One schema for both forms, so a draft and a submission cannot drift apart. Its parts are
 * optional or required by `complete`, so the types are the interfaces above, not derived.
 */
export function reportSchema(complete: true): TUnsafe<ProposalReport>;
export function reportSchema(complete: false): TUnsafe<ReportDraft>;
export function reportSchema(complete: boolean): TUnsafe<ProposalReport | ReportDraft> {
  const min = complete ? 1 : 0;
  const shape = (properties: Record<string, TSchema>, optional: readonly string[] = []) =>
    objectSchema(properties, complete ? optional : Object.keys(properties));
  const long = textSchema(LIMITS.longText, min);
  const short = textSchema(LIMITS.shortText, min);
  const target = shape({ indicator: short, target: short, unit: short });
  const objective = shape({ description: long, targets: arraySchema(target, LIMITS.targetsPerObjective, min) });
  const milestone = shape({ name: short, dueDate: isoDateSchema });
  const resources = shape(Object.fromEntries(RESOURCE_KINDS.map((kind) => [kind, textSchema(LIMITS.longText)])), RESOURCE_KINDS);
  const report = shape({
    necessity: long,
    basis: long,
    impactForecast: shape({ positive: long, negative: long, expectedEffectiveness: long }),
    feasibility: long,
    currentSituation: long,
    content: long,
    objectives: arraySchema(objective, LIMITS.objectives, min),
    implementationPlan: shape(
      { milestones: arraySchema(milestone, LIMITS.milestones, min), roadmap: textSchema(LIMITS.longText) },
      ['roadmap'],
    ),
    resources: complete ? { ...resources, minProperties: 1 } : resources,
    organization: long,
    recommendations: long,
  });
  return Type.Unsafe<ProposalReport | ReportDraft>(report);
}
