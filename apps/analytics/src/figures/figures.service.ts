import type { mongo } from 'mongoose';
import { type Sheet, cellOf } from '../ingest/cube';
import { MEASURES, type Measure, type ProposalFacts, type RegistrationFacts } from '../ingest/facts';
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
    const groups = new Map<string, { group: FiguresRow['group']; sums: Record<Measure, number> }>();
    const add = (row: { instance?: string; field?: string | null; status?: string; period?: ProposalFacts['period'] | null; counts?: Partial<Record<Measure, number>> }) => {
      if (!row.counts?.proposals) return;
      const group = Object.fromEntries(groupBy.map((d) => [d, (d === 'period' ? row.period?.[unit] : row[d]) ?? null]));
      const id = JSON.stringify(Object.values(group));
      let entry = groups.get(id);
      if (!entry) groups.set(id, (entry = { group, sums: Object.fromEntries(MEASURES.map((m) => [m, 0])) as Record<Measure, number> }));
      for (const measure of MEASURES) entry.sums[measure] += row.counts[measure] ?? 0;
    };
    const sheets = this.sheetFilter(query);
    // Summed here, not by $group: FerretDB 1.24's $group summed a nested field of replaced
    // documents as it was first inserted (withdrawn 0 after a withdrawal).
    if (sheets) {
      // The sheets already hold the sums by instance, month, field and status (cube.ts): a few dozen documents an instance and year.
      const fields = query.fields?.length ? new Set(query.fields) : undefined;
      const statuses = query.statuses?.length ? new Set(query.statuses) : undefined;
      for await (const sheet of this.models.sheets.find(sheets, { projection: { instance: 1, period: 1, c: 1 } })) {
        for (const [key, counts] of Object.entries(sheet.c ?? {})) {
          const { field, status } = cellOf(key);
          if ((fields && !fields.has(field as string)) || (statuses && !statuses.has(status))) continue;
          add({ instance: sheet.instance, period: sheet.period, field, status, counts });
        }
      }
    } else {
      // A date range not on month boundaries: the proposals themselves.
      for await (const facts of this.models.proposals.find(this.filter(query), { projection: { instance: 1, field: 1, period: 1, status: 1, counts: 1 } })) add(facts);
    }
    return [...groups.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, { group, sums: { leadWorkingDays, ...counts } }]) => ({
        group,
        counts,
        averageLeadWorkingDays: counts.decided ? Math.round((leadWorkingDays / counts.decided) * 100) / 100 : null,
      }));
  }

  /** The query on the sheets, when they can answer it (no date, or dates on the first of a month); undefined otherwise. */
  private sheetFilter(query: FiguresQuery): mongo.Filter<Sheet> | undefined {
    if ([query.from, query.to].some((date) => date !== undefined && !date.endsWith('-01'))) return undefined;
    // submittedAt >= 'YYYY-MM-01' exactly when its UTC month >= 'YYYY-MM' (and so for <).
    const utcMonth = { ...(query.from ? { $gte: query.from.slice(0, 7) } : {}), ...(query.to ? { $lt: query.to.slice(0, 7) } : {}) };
    const filter: Record<string, unknown> = { kind: 'proposals', utcMonth: Object.keys(utcMonth).length ? utcMonth : { $ne: null } };
    if (query.instances?.length) filter.instance = { $in: [...query.instances] };
    return filter as mongo.Filter<Sheet>;
  }

  /** Registrations against the quota, per instance and year. */
  async registrations(query: { instances?: readonly string[]; year?: number } = {}): Promise<RegistrationRow[]> {
    const match: Record<string, unknown> = {};
    if (query.instances?.length) match.instance = { $in: [...query.instances] };
    if (query.year) match.year = query.year;
    const rows = await this.models.registrations.find(match, { projection: { instance: 1, year: 1, unitId: 1, state: 1 } }).toArray();
    return registrationFigures(rows, this.quota);
  }

  /** What each instance has sent so far: the events applied (summed over the sheets) and the latest one's time. */
  async sources(): Promise<{ instance: string; events: number; lastRecordedAt: string }[]> {
    const events = new Map<string, number>();
    for await (const sheet of this.models.sheets.find({}, { projection: { instance: 1, c: 1 } })) {
      const sum = Object.values(sheet.c ?? {}).reduce((n, cell) => n + (cell.events ?? 0), 0);
      events.set(sheet.instance, (events.get(sheet.instance) ?? 0) + sum);
    }
    const docs = await this.models.sources.find({}).sort({ _id: 1 }).toArray();
    return docs.map(({ _id, lastRecordedAt }) => ({ instance: _id, events: events.get(_id) ?? 0, lastRecordedAt }));
  }
}

/** Registrations against the quota, per instance and year, from the registrations' facts (each counted once). */
export function registrationFigures(registrations: readonly Pick<RegistrationFacts, 'instance' | 'year' | 'unitId' | 'state'>[], quota: (instance: string) => number): RegistrationRow[] {
  const groups = new Map<string, { row: { -readonly [K in keyof RegistrationRow]: RegistrationRow[K] }; perUnit: Map<string, number> }>();
  for (const { instance, year, unitId, state } of registrations) {
    const id = `${instance}/${year}`;
    let group = groups.get(id);
    if (!group) {
      const row = { instance, year, quota: quota(instance), registrations: 0, approved: 0, rejected: 0, unitsRegistering: 0, unitsMeetingQuota: 0 };
      groups.set(id, (group = { row, perUnit: new Map() }));
    }
    group.row.registrations += 1;
    if (state === 'approved') group.row.approved += 1;
    if (state === 'rejected') group.row.rejected += 1;
    group.perUnit.set(unitId, (group.perUnit.get(unitId) ?? 0) + (state === 'rejected' ? 0 : 1));
  }
  return [...groups.values()]
    .map(({ row, perUnit }) => ({ ...row, unitsRegistering: perUnit.size, unitsMeetingQuota: [...perUnit.values()].filter((n) => n >= row.quota).length }))
    .sort((a, b) => a.instance.localeCompare(b.instance) || a.year - b.year);
}
