import { MEASURES, type Measure, type ProposalFacts, type RegistrationFacts } from './facts';

/**
 * The national figures kept summed as they are ingested. One sheet per instance and month of
 * submission (local, and UTC for the `from`/`to` filters) holds a cell per field and status with
 * the sums of its proposals' counts and the events applied to them; one sheet per instance and
 * registration year counts its registrations' events. A query reads the sheets (a few dozen per
 * instance and year), not the proposals.
 *
 * A facts document and its sheet are separate documents and no transaction joins them, so each
 * write of a facts document carries what it owes the sheets (`Owed`: the difference between its
 * old and new contribution, stamped with the document's new `rev`), and each sheet remembers the
 * last `rev` of each document folded into it (`revs`). Folding an owed change is then idempotent
 * and can be done again by whoever reads the document next: after a crash between the two writes,
 * or by another replica, or after a stalled one woke up late (a sheet never takes a `rev` older
 * than the one it has). A proposal's change of status stays in its sheet: one write.
 */
export type SheetKind = 'proposals' | 'registrations';

export interface SheetDims {
  readonly kind: SheetKind;
  readonly instance: string;
  readonly period?: ProposalFacts['period'] | null;
  /** The UTC month of the first submission: what `from`/`to` (UTC dates) compare with. */
  readonly utcMonth?: string | null;
  readonly year?: number;
}

/** The sums of one cell: the measures of its proposals, and `events` (what the instance sent). */
export type CellSums = Partial<Record<Measure | 'events', number>>;

export interface Sheet extends SheetDims {
  _id: string;
  /** Cells by `<field>|<status>` (registration sheets: one cell, `all`). */
  c?: Record<string, CellSums>;
  /** The last rev of each facts document folded in, by escaped document id. */
  revs?: Record<string, number>;
}

/** What one write of a facts document owes one sheet: what to add to its cells. */
export interface SheetChange {
  readonly sheet: string;
  readonly dims: SheetDims;
  readonly cells: Record<string, Record<string, number>>;
}

/** What one write of a facts document owes the sheets. */
export interface Owed {
  /** The write's own stamp (who wrote this rev). */
  readonly by: string;
  readonly rev: number;
  readonly changes: readonly SheetChange[];
}

interface Contribution {
  readonly sheet: string;
  readonly dims: SheetDims;
  readonly cell: string;
  readonly values: Record<string, number>;
}

/** The cell of a field and a status in a proposals sheet, and back. */
export const cellKey = (field: string | null | undefined, status: string) => `${field ?? ''}|${status}`;
export const cellOf = (key: string) => {
  const [field, status] = key.split('|');
  return { field: field || null, status };
};

function proposalContribution(facts: ProposalFacts): Contribution {
  const dims: SheetDims = { kind: 'proposals', instance: facts.instance, period: facts.period ?? null, utcMonth: facts.submittedAt?.slice(0, 7) ?? null };
  const values: Record<string, number> = { events: facts.seen.length };
  for (const measure of MEASURES) values[measure] = facts.counts[measure] ?? 0;
  return { sheet: ['p', dims.instance, dims.period?.month ?? '', dims.utcMonth ?? ''].join('|'), dims, cell: cellKey(facts.field, facts.status), values };
}

function registrationContribution(facts: RegistrationFacts): Contribution {
  return { sheet: `r|${facts.instance}|${facts.year}`, dims: { kind: 'registrations', instance: facts.instance, year: facts.year }, cell: 'all', values: { events: facts.seen.length } };
}

const contribution = (facts: ProposalFacts | RegistrationFacts): Contribution =>
  'proposalId' in facts ? proposalContribution(facts) : registrationContribution(facts);

/** What moving a document from `before` (none: a new one) to `after` changes in the sheets. */
export function sheetChanges(before: ProposalFacts | RegistrationFacts | undefined, after: ProposalFacts | RegistrationFacts): SheetChange[] {
  const changes = new Map<string, SheetChange>();
  const add = ({ sheet, dims, cell, values }: Contribution, sign: 1 | -1) => {
    const change = changes.get(sheet) ?? { sheet, dims, cells: {} };
    const sums = (change.cells[cell] ??= {});
    for (const [key, value] of Object.entries(values)) sums[key] = (sums[key] ?? 0) + sign * value;
    changes.set(sheet, change);
  };
  if (before) add(contribution(before), -1);
  add(contribution(after), 1);
  const changed: SheetChange[] = [];
  for (const change of changes.values()) {
    const cells = Object.fromEntries(
      Object.entries(change.cells)
        .map(([cell, sums]) => [cell, Object.fromEntries(Object.entries(sums).filter(([, n]) => n !== 0))] as const)
        .filter(([, sums]) => Object.keys(sums).length > 0),
    );
    if (Object.keys(cells).length > 0) changed.push({ ...change, cells });
  }
  return changed;
}

/** A document id as a key of `revs` (no dot, no leading dollar). */
export const revKey = (id: string) => `revs.${id.replace(/[%.$]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)}`;

/**
 * The writes that fold an owed change into its sheets: one update a sheet, which adds to its cells
 * unless the sheet has this document's rev (or a later one) already, and makes the sheet if it is
 * missing (`upsert`: a duplicate key then means the sheet exists and has the rev, or another writer
 * made it meanwhile; the fold then writes again without `upsert`).
 */
export function foldWrites(id: string, owed: Owed, upsert = true): Record<string, unknown>[] {
  const key = revKey(id);
  return owed.changes.map(({ sheet, dims, cells }) => {
    const inc: Record<string, number> = {};
    for (const [cell, sums] of Object.entries(cells)) for (const [measure, n] of Object.entries(sums)) inc[`c.${cell}.${measure}`] = n;
    return {
      updateOne: {
        filter: { _id: sheet, $or: [{ [key]: { $exists: false } }, { [key]: { $lt: owed.rev } }] },
        update: { $inc: inc, $set: { [key]: owed.rev }, ...(upsert ? { $setOnInsert: dims } : {}) },
        upsert,
      },
    };
  });
}
