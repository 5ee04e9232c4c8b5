import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { mongo } from 'mongoose';
import { AnalyticsReadModels } from '../ingest/read-models';
import { FiguresService } from '../figures/figures.service';
import { NationalController, NationalParts } from '../figures/national.controller';
import { type Format, type TableName, TABLES, exportChunks } from './open-data';

/**
 * The open-data export in Parquet (issue 15): written from known facts, read back by another
 * package (hyparquet, the reader; the export is written by hyparquet-writer), row for row and
 * typed as the CSV says; served by the API with its media type; nothing restricted in it.
 */
const mongoUrl = process.env.DOTPHA_MONGO_URL;
if (!mongoUrl) throw new Error('integration tests need real servers: run them through `npm test`, or start `npm run infra:up` and export what it prints');
const database = `opendata_${process.pid}_${Date.now().toString(36)}`;
const PLANTED = `PLANTED-${database}`;

let client: mongo.MongoClient;
let models: AnalyticsReadModels;

/** What no export may carry: a name and a free-text assessment stored beside the facts (they never are; the export must not depend on it). */
const restricted = { proposerName: `Nguyễn Văn ${PLANTED}`, assessment: `Đánh giá riêng ${PLANTED}` };
const proposal = (n: number, instance: string, facts: Record<string, unknown>) => ({
  _id: `${instance}:p${n}`, instance, proposalId: `p${n}`, overdue: {}, counts: {}, seen: [], rev: 1, ...restricted, ...facts,
});
const PROPOSALS = [
  proposal(1, 'hn', {
    unitId: 'hn-sở-tc', field: 'administrative-reform', problemType: 'procedure, "one-stop"', isScheme: false, submittedAt: '2026-03-06T02:00:00Z',
    period: { year: 2026, quarter: '2026-Q1', month: '2026-03' }, status: 'recognized', decidedAt: '2026-03-11T09:00:00.123Z', leadWorkingDays: 3,
    pilotStartedAt: '2026-03-12T09:00:00Z', pilotEnd: 'completed', outcome: 'achieved', liability: 'none', recognizedAt: '2026-07-01T00:00:00Z', overdueSteps: 1,
  }),
  proposal(2, 'hn', { unitId: 'hn-so-tc', field: 'other', problemType: 'records', isScheme: true, submittedAt: '2026-04-01T00:00:00Z', period: { year: 2026, quarter: '2026-Q2', month: '2026-04' }, status: 'submitted', overdueSteps: 0 }),
  proposal(3, 'hcm', { unitId: 'hcm-snv', field: 'socio-economic', problemType: 'procedure', isScheme: false, submittedAt: '2025-12-31T17:30:00Z', period: { year: 2026, quarter: '2026-Q1', month: '2026-01' }, status: 'rejected', decidedAt: '2026-01-20T03:00:00Z', leadWorkingDays: 12, overdueSteps: 2 }),
  proposal(4, 'hcm', { unitId: 'hcm-snv', field: 'other', problemType: 'procedure', isScheme: false, submittedAt: '2026-02-02T00:00:00Z', period: { year: 2026, quarter: '2026-Q1', month: '2026-02' }, status: 'withdrawn', overdueSteps: 0 }),
  proposal(5, 'hp', { unitId: 'hp-snv', field: 'security-defence', problemType: 'procedure', isScheme: false, submittedAt: '2026-05-05T05:05:05Z', period: { year: 2026, quarter: '2026-Q2', month: '2026-05' }, status: 'pilot-running', decidedAt: '2026-05-20T00:00:00Z', leadWorkingDays: 11, pilotStartedAt: '2026-06-01T00:00:00Z', overdueSteps: 0 }),
  // A draft never submitted is in no table.
  proposal(6, 'hp', { unitId: 'hp-snv', status: 'unknown', overdueSteps: 0 }),
];
/** The submitted ones, in the tables' order (by id). */
const SUBMITTED = ['hcm:p3', 'hcm:p4', 'hn:p1', 'hn:p2', 'hp:p5'];
const REGISTRATIONS = [
  { _id: 'hn:i1', instance: 'hn', initiativeId: 'i1', unitId: 'hn-so-tc', year: 2026, field: 'other', state: 'approved', registeredAt: '2026-01-05T00:00:00Z', decidedAt: '2026-02-01T00:00:00Z', seen: [], rev: 1, ...restricted },
  { _id: 'hp:i2', instance: 'hp', initiativeId: 'i2', unitId: 'hp-snv', year: 2027, state: 'registered', registeredAt: '2026-12-30T00:00:00Z', seen: [], rev: 1, ...restricted },
];

beforeAll(async () => {
  client = await mongo.MongoClient.connect(mongoUrl);
  models = new AnalyticsReadModels(client.db(database));
  await (models.proposals as unknown as mongo.Collection).insertMany(PROPOSALS as never[]);
  await (models.registrations as unknown as mongo.Collection).insertMany(REGISTRATIONS as never[]);
}, 30_000);

afterAll(async () => {
  await client?.db(database).dropDatabase().catch(() => undefined);
  await client?.close();
}, 30_000);

async function exported(table: TableName, format: Format, rowGroupRows?: number) {
  const pieces: (string | Uint8Array)[] = [];
  for await (const piece of exportChunks(models, table, format, { rowGroupRows })) pieces.push(piece);
  return pieces;
}

const bytes = (pieces: readonly (string | Uint8Array)[]) => Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
const arrayBuffer = (data: Buffer): ArrayBuffer => data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
const csvCells = (line: string) => [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map(([, c]) => (c.startsWith('"') ? c.slice(1, -1).replace(/""/g, '"') : c));
const csvRows = (text: string) => text.trimEnd().split('\r\n').map(csvCells);

async function readParquet(data: ArrayBuffer) {
  const metadata = parquetMetadata(data);
  const rows = (await parquetReadObjects({ file: data })) as Record<string, unknown>[];
  return { metadata, rows };
}

/** A Parquet value as the CSV writes it (its type checked on the way): '' for a missing one. */
function asCsv(type: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (type) {
    case 'integer': expect(Number.isInteger(value)).toBe(true); return String(value);
    case 'boolean': expect(typeof value).toBe('boolean'); return String(value);
    case 'datetime': expect(value).toBeInstanceOf(Date); return (value as Date).toISOString();
    default: expect(typeof value).toBe('string'); return value as string;
  }
}

/** A CSV cell as the Parquet file should hold it: instants compared as instants ('…00Z' and '…00.000Z' are one). */
const csvAsCsv = (type: string, cell: string) => (type === 'datetime' && cell ? new Date(cell).toISOString() : cell);

describe('the open-data export in Parquet (issue 15)', () => {
  it.each(['proposals', 'registrations'] as const)('%s: the same rows as the CSV, typed: UTF-8 strings, 32-bit integers, booleans, UTC instants', async (table) => {
    const csv = csvRows(bytes(await exported(table, 'csv')).toString('utf8'));
    const { metadata, rows } = await readParquet(arrayBuffer(bytes(await exported(table, 'parquet'))));
    const { fields } = TABLES[table];

    expect(metadata.schema.slice(1).map((e) => e.name)).toEqual(csv[0]);
    const expectedTypes: Record<string, object> = {
      string: { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } },
      integer: { type: 'INT32' },
      boolean: { type: 'BOOLEAN' },
      datetime: { type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } },
    };
    for (const [i, f] of fields.entries()) expect(metadata.schema[i + 1]).toMatchObject({ ...expectedTypes[f.type], repetition_type: 'OPTIONAL' });

    expect(rows).toHaveLength(table === 'proposals' ? 5 : 2);
    expect(Number(metadata.num_rows)).toBe(rows.length);
    expect(rows.map((row) => fields.map((f) => asCsv(f.type, row[f.name])))).toEqual(csv.slice(1).map((cells) => cells.map((cell, i) => csvAsCsv(fields[i].type, cell))));
  }, 30_000);

  it('holds what the facts say, written one row group at a time', async () => {
    const pieces = await exported('proposals', 'parquet', 2);
    const { metadata, rows } = await readParquet(arrayBuffer(bytes(pieces)));
    expect(metadata.row_groups.map((g) => Number(g.num_rows))).toEqual([2, 2, 1]);
    // Each row group went out before the next was read (and the footer last).
    expect(pieces.length).toBe(4);
    expect(rows.map((r) => `${r.instance}:${r.proposal_id}`)).toEqual(SUBMITTED);
    expect(rows[2]).toEqual({
      instance: 'hn', proposal_id: 'p1', unit_id: 'hn-sở-tc', field: 'administrative-reform', problem_type: 'procedure, "one-stop"', is_scheme: false,
      submitted_at: new Date('2026-03-06T02:00:00Z'), quarter: '2026-Q1', status: 'recognized', decided_at: new Date('2026-03-11T09:00:00.123Z'),
      lead_working_days: 3, pilot_started_at: new Date('2026-03-12T09:00:00Z'), pilot_end: 'completed', outcome: 'achieved', liability: 'none',
      recognized_at: new Date('2026-07-01T00:00:00Z'), overdue_steps: 1,
    });
    expect(rows[3]).toMatchObject({ proposal_id: 'p2', is_scheme: true, decided_at: null, lead_working_days: null, pilot_end: null });
  }, 30_000);

  it('of an empty table is a valid file with the columns and no rows', async () => {
    const empty = new AnalyticsReadModels(client.db(`${database}_empty`));
    const pieces: (string | Uint8Array)[] = [];
    for await (const piece of exportChunks(empty, 'registrations', 'parquet')) pieces.push(piece);
    const { metadata, rows } = await readParquet(arrayBuffer(bytes(pieces)));
    expect(rows).toEqual([]);
    expect(metadata.schema.slice(1).map((e) => e.name)).toEqual(TABLES.registrations.fields.map((f) => f.name));
  }, 30_000);

  it('carries no restricted value, as neither do the CSV and JSON Lines', async () => {
    for (const table of ['proposals', 'registrations'] as const) {
      const { metadata, rows } = await readParquet(arrayBuffer(bytes(await exported(table, 'parquet'))));
      const everything = JSON.stringify({ metadata, rows, csv: bytes(await exported(table, 'csv')).toString(), jsonl: bytes(await exported(table, 'jsonl')).toString() }, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
      expect(everything).toContain(table === 'proposals' ? 'hn-sở-tc' : 'i2');
      expect(everything).not.toContain(PLANTED);
    }
  }, 30_000);

  describe('served by the API', () => {
    let app: INestApplication;
    let base = '';
    beforeAll(async () => {
      const parts: NationalParts = { models, figures: new FiguresService(models, () => 1), replay: async () => ({ topics: 0 }), adminToken: undefined };
      const moduleRef = await Test.createTestingModule({ controllers: [NationalController], providers: [{ provide: NationalParts, useValue: parts }] }).compile();
      app = moduleRef.createNestApplication({ logger: false });
      await app.listen(0, '127.0.0.1');
      base = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/api/v1/open-data`;
    }, 30_000);
    afterAll(async () => app?.close());

    it('as application/vnd.apache.parquet, a file to save, the same bytes as written', async () => {
      const response = await fetch(`${base}/proposals.parquet`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/vnd.apache.parquet');
      expect(response.headers.get('content-disposition')).toBe('attachment; filename="dotpha-proposals.parquet"');
      const served = await response.arrayBuffer();
      const { rows } = await readParquet(served);
      expect(rows.map((r) => `${r.instance}:${r.proposal_id}`)).toEqual(SUBMITTED);
      expect((await fetch(`${base}/proposals.csv`)).headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect((await fetch(`${base}/proposals.xlsx`)).status).toBe(400);
    }, 30_000);

    it('listed in the dataset description (Frictionless Data Package) beside the CSV and JSON Lines, with the same fields', async () => {
      const dataset = (await (await fetch(base)).json()) as { resources: { name: string; schema: unknown }[] };
      const resource = (name: string) => dataset.resources.find((r) => r.name === name);
      for (const table of ['proposals', 'registrations'] as const) {
        expect(resource(`${table}-parquet`)).toEqual({
          name: `${table}-parquet`, title: TABLES[table].title, path: `/api/v1/open-data/${table}.parquet`, format: 'parquet', mediatype: 'application/vnd.apache.parquet',
          schema: resource(`${table}-csv`)?.schema,
        });
        expect(resource(`${table}-csv`)).toMatchObject({ mediatype: 'text/csv', encoding: 'utf-8' });
      }
      expect(dataset.resources).toHaveLength(6);
    }, 30_000);
  });
});
