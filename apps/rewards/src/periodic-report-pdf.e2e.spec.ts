import { execFileSync } from 'child_process';
import { randomUUID } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import request from 'supertest';
import { loadOrgChart } from '@dotpha/org';
import { RECOGNITION_STREAM_TYPE, recognitionDecider, recognitionStreamId } from '@dotpha/rewards-domain';
import { LocalIssuer, SAMPLE_ORG_FILE } from '@dotpha/service-runtime';
import { type OneProcessService, startOneProcessService } from '@dotpha/service-testkit';
import { testTokens } from '@dotpha/testkit';
import { RewardsModule } from './rewards.module';

// C14-2.5d (issue 14): the periodic report as a PDF download, over HTTP on the running service, read
// back by an independent PDF reader (pdfjs-dist, testing/pdf-text.mjs).
const ISSUER = new LocalIssuer();
const TOKENS = testTokens(ISSUER);
const org = loadOrgChart(JSON.parse(readFileSync(SAMPLE_ORG_FILE, 'utf8')));
const ANALYST = { authorization: `Bearer ${TOKENS['u-vp-phan-tich']}`, 'x-role': 'analyst' };
const UNIT = 'tm-snv-ccvc';
const RECOMMENDED_AT = new Date('2026-08-20T03:00:00.000Z');

let service: OneProcessService;

beforeAll(async () => {
  service = await startOneProcessService({ name: 'rewards', register: (c, h) => RewardsModule.register(c, h), issuer: ISSUER, org, now: () => new Date('2026-09-15T03:00:00.000Z') });
  // Three recognitions recommended in the second half of 2026 for proposals of one unit.
  const kernel = service.hub.kernel('rewards');
  for (let i = 0; i < 3; i++) {
    const proposalId = randomUUID();
    await kernel.execute(recognitionDecider, RECOGNITION_STREAM_TYPE, recognitionStreamId(proposalId), {
      type: 'RecommendRecognition',
      data: {
        proposalId, proposerId: 'u-ccvc-chuyen-vien', proposerUnitId: UNIT, outcome: 'achieved', notable: false, noSelfInterest: true,
        people: { proposerId: 'u-ccvc-chuyen-vien', coProposerIds: [], implementerIds: [], approvingHeadId: null },
      },
      metadata: { actor: { userId: 'u-snv-danh-gia', role: 'evaluator' }, now: RECOMMENDED_AT, correlationId: randomUUID(), causationId: null },
    });
  }
}, 30_000);

afterAll(async () => {
  await service?.stop();
});

const report = (format: string, headers: Record<string, string> = ANALYST) =>
  request(service.app.getHttpServer()).get(`/api/v1/reports/periodic?period=H2-2026&format=${format}`).set(headers);

/** The report once the projection has counted the three recommendations. */
async function counted(): Promise<void> {
  const deadline = Date.now() + 5_000;
  while ((await report('json')).body.totals?.recommended !== 3) {
    if (Date.now() > deadline) throw new Error('the recommendations were not counted');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('C14-2.5d: the periodic report as a PDF', () => {
  it('C14-2.5d: format=pdf downloads an A4 PDF in Vietnamese with the title, the unit, the period and the figures', async () => {
    await counted();
    const res = await report('pdf').buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="bao-cao-tat-ca-H2-2026.pdf"');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = execFileSync(process.execPath, [join(__dirname, 'testing', 'pdf-text.mjs')], { input: pdf, encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Báo cáo định kỳ');
    expect(text).toContain('Kỳ báo cáo: H2-2026, từ ngày 01/07/2026 đến ngày 31/12/2026');
    expect(text).toContain('Đề xuất đã nộp theo đơn vị');
    expect(text).toContain(org.unit(UNIT).name);
    // The figures' row: the total, then the one field column (the proposals' submissions never reached rewards).
    expect(text).toContain('Đề nghị khen thưởng 3 3');
    expect(text).toContain('Phản ánh hành vi bị cấm 0 0');
    expect(text).toContain('Chưa rõ');
  }, 20_000);

  it('C14-2.5d: refuses the PDF to whom the CSV is refused, with the same answer', async () => {
    // No token (401), and a cadre, who does not read the periodic review (403).
    for (const [headers, status] of [[{}, 401], [{ authorization: `Bearer ${TOKENS['u-ccvc-chuyen-vien']}` }, 403]] as const) {
      const [csv, pdf] = await Promise.all([report('csv', headers), report('pdf', headers)]);
      expect(csv.status).toBe(status);
      expect(pdf.status).toBe(status);
      expect(pdf.headers['content-type']).toBe(csv.headers['content-type']);
      expect(pdf.body.code).toBe(csv.body.code);
    }
  });
});
