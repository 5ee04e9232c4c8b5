import { ByteWriter, ParquetWriter, type SchemaElement } from 'hyparquet-writer';
import type { mongo } from 'mongoose';
import type { AnalyticsReadModels } from '../ingest/read-models';

/**
 * The open-data export (like Decidim's open data): one table of proposals and one of
 * registrations, as CSV (RFC 4180), JSON Lines and Parquet, and a description of the dataset (a Frictionless
 * Data Package: title, licence, period, each table's fields). Nothing in it names a person: the
 * public events carry no names or free-text assessments, and of them only ids of proposals and
 * units, dates, categories and counts are kept.
 */
export type TableName = 'proposals' | 'registrations';
export type Format = 'csv' | 'jsonl' | 'parquet';

/** Each format's media type (Parquet's is IANA's application/vnd.apache.parquet) and, for text, its encoding. */
const FORMATS: Readonly<Record<Format, { readonly mediatype: string; readonly encoding?: 'utf-8' }>> = {
  csv: { mediatype: 'text/csv', encoding: 'utf-8' },
  jsonl: { mediatype: 'application/jsonl', encoding: 'utf-8' },
  parquet: { mediatype: 'application/vnd.apache.parquet' },
};

/** The HTTP content type of a format. */
export const contentType = (format: Format): string => {
  const { mediatype, encoding } = FORMATS[format];
  return encoding ? `${mediatype}; charset=${encoding}` : mediatype;
};

export interface ExportField {
  readonly name: string;
  /** The tables that have it. */
  readonly in: readonly TableName[];
  readonly type: 'string' | 'integer' | 'boolean' | 'datetime';
  readonly description: string;
  /** Where the value is in the facts document. */
  readonly path: string;
}

const BOTH: readonly TableName[] = ['proposals', 'registrations'];
const PROPOSALS: readonly TableName[] = ['proposals'];
const REGISTRATIONS: readonly TableName[] = ['registrations'];

/** Every column of the dataset, once: what it is and in which tables. */
const FIELDS: readonly ExportField[] = [
  { name: 'instance', in: BOTH, type: 'string', path: 'instance', description: 'province or city code of the instance that recorded it' },
  { name: 'proposal_id', in: PROPOSALS, type: 'string', path: 'proposalId', description: 'the proposal\'s id in its instance' },
  { name: 'initiative_id', in: REGISTRATIONS, type: 'string', path: 'initiativeId', description: 'the registered initiative' },
  { name: 'unit_id', in: BOTH, type: 'string', path: 'unitId', description: 'the proposing or registering unit' },
  { name: 'year', in: REGISTRATIONS, type: 'integer', path: 'year', description: 'the year registered for' },
  { name: 'field', in: BOTH, type: 'string', path: 'field', description: 'party-building, socio-economic, security-defence, administrative-reform or other' },
  { name: 'problem_type', in: PROPOSALS, type: 'string', path: 'problemType', description: 'the kind of problem the proposal addresses' },
  { name: 'is_scheme', in: PROPOSALS, type: 'boolean', path: 'isScheme', description: 'whether it is a scheme (đề án)' },
  { name: 'submitted_at', in: PROPOSALS, type: 'datetime', path: 'submittedAt', description: 'first submission (UTC)' },
  { name: 'registered_at', in: REGISTRATIONS, type: 'datetime', path: 'registeredAt', description: 'when it was registered (UTC)' },
  { name: 'quarter', in: PROPOSALS, type: 'string', path: 'period.quarter', description: 'quarter of the first submission in Vietnam\'s time zone' },
  { name: 'status', in: PROPOSALS, type: 'string', path: 'status', description: 'the furthest step reached' },
  { name: 'state', in: REGISTRATIONS, type: 'string', path: 'state', description: 'registered, approved or rejected' },
  { name: 'decided_at', in: BOTH, type: 'datetime', path: 'decidedAt', description: 'the approval or rejection (UTC)' },
  { name: 'lead_working_days', in: PROPOSALS, type: 'integer', path: 'leadWorkingDays', description: 'working days from the first submission to the decision' },
  { name: 'pilot_started_at', in: PROPOSALS, type: 'datetime', path: 'pilotStartedAt', description: 'start of the pilot or implementation (UTC)' },
  { name: 'pilot_end', in: PROPOSALS, type: 'string', path: 'pilotEnd', description: 'completed or terminated' },
  { name: 'outcome', in: PROPOSALS, type: 'string', path: 'outcome', description: 'assessed outcome (achieved, partially-achieved, not-achieved)' },
  { name: 'liability', in: PROPOSALS, type: 'string', path: 'liability', description: 'liability decision (none, excluded, exempted, reduced, upheld)' },
  { name: 'recognized_at', in: PROPOSALS, type: 'datetime', path: 'recognizedAt', description: 'when a recognition was granted (UTC)' },
  { name: 'overdue_steps', in: PROPOSALS, type: 'integer', path: 'overdueSteps', description: 'steps taken after their working-day deadline' },
];

export const TABLES: Readonly<Record<TableName, { readonly title: string; readonly fields: readonly ExportField[] }>> = {
  proposals: { title: 'Proposals of dynamic, creative cadres, by instance', fields: FIELDS.filter((f) => f.in.includes('proposals')) },
  registrations: { title: 'Registrations of initiatives against the yearly quota', fields: FIELDS.filter((f) => f.in.includes('registrations')) },
};

const valueAt = (row: unknown, path: string): unknown => path.split('.').reduce<any>((value, key) => value?.[key], row);

const csvCell = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The file names the dataset has, e.g. `proposals.parquet`; undefined for any other name. */
export function exportFile(file: string): { table: TableName; format: Format } | undefined {
  const match = /^(\w+)\.(\w+)$/.exec(file);
  if (!match || !Object.hasOwn(TABLES, match[1]) || !Object.hasOwn(FORMATS, match[2])) return undefined;
  return { table: match[1] as TableName, format: match[2] as Format };
}

export const EXPORT_FILES = (Object.keys(TABLES) as TableName[]).flatMap((table) => (Object.keys(FORMATS) as Format[]).map((format) => `${table}.${format}`));

/** Each row of a table: its fields' values in the table's order, read from the database as they are written. */
async function* tableRows(models: AnalyticsReadModels, table: TableName): AsyncGenerator<unknown[]> {
  const collection = (table === 'proposals' ? models.proposals : models.registrations) as unknown as mongo.Collection;
  const filter = table === 'proposals' ? { submittedAt: { $exists: true } } : {};
  for await (const row of collection.find(filter).sort({ _id: 1 })) yield TABLES[table].fields.map((f) => valueAt(row, f.path));
}

export interface ExportOptions {
  /** Rows in each Parquet row group (each goes out as soon as it is written). */
  readonly rowGroupRows?: number;
}

/** One table in one format, in pieces as they are written: text lines (CSV, JSON Lines) or bytes (Parquet). */
export async function* exportChunks(models: AnalyticsReadModels, table: TableName, format: Format, options: ExportOptions = {}): AsyncGenerator<string | Uint8Array> {
  const { fields } = TABLES[table];
  const rows = tableRows(models, table);
  if (format === 'parquet') return yield* parquetChunks(fields, rows, options.rowGroupRows ?? 10_000);
  if (format === 'csv') yield `${fields.map((f) => f.name).join(',')}\r\n`;
  for await (const values of rows) {
    yield format === 'csv'
      ? `${values.map(csvCell).join(',')}\r\n`
      : `${JSON.stringify(Object.fromEntries(fields.map((f, i) => [f.name, values[i] ?? null])))}\n`;
  }
}

/** Each field's Parquet column: UTF-8 strings, 32-bit integers, booleans, UTC instants in milliseconds; all optional. */
const PARQUET_TYPES: Readonly<Record<ExportField['type'], Omit<SchemaElement, 'name'>>> = {
  string: { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } },
  integer: { type: 'INT32' },
  boolean: { type: 'BOOLEAN' },
  datetime: { type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } },
};

const parquetValue = (type: ExportField['type'], value: unknown): unknown => {
  if (value === null || value === undefined) return null;
  if (type === 'datetime') return new Date(value as string);
  return type === 'string' ? String(value) : value;
};

/** A writer that hands over what was written at each row group and at the end, instead of keeping the whole file. */
class PiecesWriter extends ByteWriter {
  readonly pieces: Uint8Array[] = [];
  flush(): void {
    this.pieces.push(this.getBytes().slice());
    this.index = 0;
  }
  override finish(): void {
    this.flush();
  }
}

async function* parquetChunks(fields: readonly ExportField[], rows: AsyncIterable<unknown[]>, rowGroupRows: number): AsyncGenerator<Uint8Array> {
  const schema: SchemaElement[] = [
    { name: 'root', num_children: fields.length },
    ...fields.map((f) => ({ name: f.name, repetition_type: 'OPTIONAL' as const, ...PARQUET_TYPES[f.type] })),
  ];
  const writer = new PiecesWriter();
  const parquet = new ParquetWriter({ writer, schema, createdBy: 'dotpha analytics open-data export (hyparquet-writer)' });
  let group: unknown[][] = [];
  const writeGroup = () => {
    parquet.write({ columnData: fields.map((f, i) => ({ name: f.name, data: group.map((values) => parquetValue(f.type, values[i])) })), rowGroupSize: group.length });
    group = [];
    return writer.pieces.splice(0);
  };
  for await (const values of rows) {
    group.push(values);
    if (group.length === rowGroupRows) yield* writeGroup();
  }
  if (group.length > 0) yield* writeGroup();
  parquet.finish();
  yield* writer.pieces.splice(0);
}

export interface DatasetOptions {
  readonly baseUrl: string;
  readonly licence?: { readonly name: string; readonly path: string; readonly title: string };
}

/** The dataset's description (Frictionless Data Package 1.0): title, licence, period, fields. */
export async function datasetDescription(models: AnalyticsReadModels, options: DatasetOptions): Promise<Record<string, unknown>> {
  const [first] = await models.proposals.find({ submittedAt: { $exists: true } }).sort({ submittedAt: 1 }).limit(1).toArray();
  const [last] = await models.proposals.find({ submittedAt: { $exists: true } }).sort({ submittedAt: -1 }).limit(1).toArray();
  const instances = (await models.sources.find({}).sort({ _id: 1 }).toArray()).map((s) => s._id);
  const licence = options.licence ?? { name: 'CC-BY-4.0', path: 'https://creativecommons.org/licenses/by/4.0/', title: 'Creative Commons Attribution 4.0' };
  return {
    profile: 'tabular-data-package',
    name: 'dotpha-national',
    title: 'Đột Phá: proposals, pilots, evaluations and recognitions of dynamic, creative cadres, nationally',
    description: 'Read from the public events every instance publishes (docs/asyncapi.json). One row a proposal and one a registration; no names, no free-text assessments.',
    licenses: [licence],
    temporal: { start: first?.submittedAt ?? null, end: last?.submittedAt ?? null },
    instances,
    created: new Date().toISOString(),
    resources: (Object.keys(TABLES) as TableName[]).flatMap((table) =>
      (Object.keys(FORMATS) as Format[]).map((format) => ({
        name: `${table}-${format}`,
        title: TABLES[table].title,
        path: `${options.baseUrl}/${table}.${format}`,
        format,
        ...FORMATS[format],
        schema: { fields: TABLES[table].fields.map((f) => ({ name: f.name, type: f.type, description: f.description })) },
      })),
    ),
  };
}
