import type { mongo } from 'mongoose';
import { MEASURES, type Measure, type ProposalFacts } from '../ingest/facts';
import type { AnalyticsReadModels } from '../ingest/read-models';

export const DIMENSIONS = ['instance', 'field', 'period', 'status'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export type PeriodUnit = 'year' | 'quarter' | 'month';

export interface FiguresQuery {
  readonly groupBy?: readonly Dimension[];
  readonly period?: PeriodUnit;
  /** Proposals submitted from this date (inclusive) up to `to` (exclusive), ISO dates. */
  readonly from?: string;
  readonly to?: string;
  readonly instances?: readonly string[];
  readonly fields?: readonly string[];
  readonly statuses?: readonly string[];
}

export interface FiguresRow {
  readonly group: Partial<Record<Dimension, string | number | null>>;
  readonly counts: Record<Exclude<Measure, 'leadWorkingDays'>, number>;
  /** Approval lead time (submission to decision) in working days: the average over the decided proposals. */
  readonly averageLeadWorkingDays: number | null;
}

export interface RegistrationRow {
  readonly instance: string;
  readonly year: number;
  readonly quota: number;
  readonly registrations: number;
  readonly approved: number;
  readonly rejected: number;
  readonly unitsRegistering: number;
  /** Units whose registrations not rejected reach the instance's quota. */
  readonly unitsMeetingQuota: number;
}

/** The national figures: sums over the proposals' facts of every instance, grouped as asked. */
export class FiguresService {
  constructor(private readonly models: AnalyticsReadModels, private readonly quota: (instance: string) => number) {}

  filter(query: FiguresQuery): mongo.Filter<ProposalFacts> {
    const filter: Record<string, unknown> = { submittedAt: { $exists: true } };
    if (query.from || query.to) filter.submittedAt = { ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lt: query.to } : {}) };
    if (query.instances?.length) filter.instance = { $in: [...query.instances] };
    if (query.fields?.length) filter.field = { $in: [...query.fields] };
    if (query.statuses?.length) filter.status = { $in: [...query.statuses] };
    return filter as mongo.Filter<ProposalFacts>;
  }

  async figures(query: FiguresQuery): Promise<FiguresRow[]> {
    const groupBy = query.groupBy ?? ['instance'];
    const unit = query.period ?? 'year';
    // Summed here over a projection of the facts, not by $group: FerretDB 1.24's $group summed a
    // nested field of replaced documents as it was first inserted (withdrawn 0 after a withdrawal).
    const groups = new Map<string, { group: FiguresRow['group']; sums: Record<Measure, number> }>();
    const cursor = this.models.proposals.find(this.filter(query), { projection: { instance: 1, field: 1, period: 1, status: 1, counts: 1 } });
    for await (const facts of cursor) {
      const group = Object.fromEntries(groupBy.map((d) => [d, (d === 'period' ? facts.period?.[unit] : facts[d]) ?? null]));
      const id = JSON.stringify(Object.values(group));
      let entry = groups.get(id);
      if (!entry) groups.set(id, (entry = { group, sums: Object.fromEntries(MEASURES.map((m) => [m, 0])) as Record<Measure, number> }));
      for (const measure of MEASURES) entry.sums[measure] += facts.counts?.[measure] ?? 0;
    }
    return [...groups.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, { group, sums: { leadWorkingDays, ...counts } }]) => ({
        group,
        counts,
        averageLeadWorkingDays: counts.decided ? Math.round((leadWorkingDays / counts.decided) * 100) / 100 : null,
      }));
  }

  /** Registrations against the quota, per instance and year. */
  async registrations(query: { instances?: readonly string[]; year?: number } = {}): Promise<RegistrationRow[]> {
    const match: Record<string, unknown> = {};
    if (query.instances?.length) match.instance = { $in: [...query.instances] };
    if (query.year) match.year = query.year;
    const units = (await this.models.registrations.find(match, { projection: { instance: 1, year: 1, unitId: 1, state: 1 } }).toArray())
      .map(({ instance, year, unitId, state }) => ({ _id: { instance, year, unitId, state }, n: 1 }));
    const groups = new Map<string, { row: { -readonly [K in keyof RegistrationRow]: RegistrationRow[K] }; perUnit: Map<string, number> }>();
    for (const { _id, n } of units) {
      const id = `${_id.instance}/${_id.year}`;
      let group = groups.get(id);
      if (!group) {
        const row = { instance: _id.instance, year: _id.year, quota: this.quota(_id.instance), registrations: 0, approved: 0, rejected: 0, unitsRegistering: 0, unitsMeetingQuota: 0 };
        groups.set(id, (group = { row, perUnit: new Map() }));
      }
      group.row.registrations += n;
      if (_id.state === 'approved') group.row.approved += n;
      if (_id.state === 'rejected') group.row.rejected += n;
      group.perUnit.set(_id.unitId, (group.perUnit.get(_id.unitId) ?? 0) + (_id.state === 'rejected' ? 0 : n));
    }
    return [...groups.values()]
      .map(({ row, perUnit }) => ({ ...row, unitsRegistering: perUnit.size, unitsMeetingQuota: [...perUnit.values()].filter((n) => n >= row.quota).length }))
      .sort((a, b) => a.instance.localeCompare(b.instance) || a.year - b.year);
  }

  /** What each instance has sent so far. */
  async sources(): Promise<{ instance: string; events: number; lastRecordedAt: string }[]> {
    const docs = await this.models.sources.find({}).sort({ _id: 1 }).toArray();
    return docs.map(({ _id, events, lastRecordedAt }) => ({ instance: _id, events, lastRecordedAt }));
  }
}
