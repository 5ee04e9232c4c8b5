import request from 'supertest';
import { LocalIssuer } from '@dotpha/service-runtime';
import { type OneProcessService, startOneProcessService } from '@dotpha/service-testkit';
import { everyPage, testTokens } from '@dotpha/testkit';
import { ProposalsModule } from './proposals.module';

// Issue 14: GET /proposals pages, sorts and filters on the server; the body stays an array, the
// total and the next page's cursor come as headers.
const ISSUER = new LocalIssuer();
const TOKENS = testTokens(ISSUER);
const PROPOSER = 'u-cds-chuyen-vien';
const COLLEAGUE = 'u-cds-pho-phong';
const TITLES = ['Đ', 'B', 'E', 'A', 'C'].map((letter) => `${letter} — số hoá hồ sơ`);

let service: OneProcessService;
const list = (userId: string, query: Record<string, string | number>) =>
  request(service.app.getHttpServer()).get('/api/v1/proposals').query(query).set({ authorization: `Bearer ${TOKENS[userId]}` });

beforeAll(async () => {
  service = await startOneProcessService({ name: 'proposals', register: (c, h) => ProposalsModule.register(c, h), issuer: ISSUER });
  for (const title of TITLES) {
    await request(service.app.getHttpServer()).post('/api/v1/proposals').set({ authorization: `Bearer ${TOKENS[PROPOSER]}` })
      .send({ title, field: 'administrative-reform', problemType: 'unregulated', isScheme: false, report: {} }).expect(201);
  }
});

afterAll(() => service?.stop());

/** Every page in turn, following X-Next-Cursor; waits for the read model to hold all five drafts first. */
async function pages(query: Record<string, string | number>): Promise<{ titles: string[][]; totals: (string | undefined)[] }> {
  for (let i = 0; i < 100 && (await list(PROPOSER, {})).headers['x-total-count'] !== '5'; i++) await new Promise((r) => setTimeout(r, 50));
  const answers = await everyPage(async (cursor) => list(PROPOSER, { ...query, ...(cursor ? { cursor } : {}) }).expect(200));
  return { titles: answers.map((res) => (res.body as { title: string }[]).map((p) => p.title)), totals: answers.map((res) => res.headers['x-total-count']) };
}

describe('GET /api/v1/proposals: paged, sorted and filtered by the server', () => {
  it('pages with limit and X-Next-Cursor, the total in X-Total-Count of the first page, sorted as asked', async () => {
    const sorted = [...TITLES].sort((a, b) => (a < b ? -1 : 1));
    expect(await pages({ limit: 2, sort: 'title', order: 'asc' })).toEqual({ titles: [sorted.slice(0, 2), sorted.slice(2, 4), sorted.slice(4)], totals: ['5', undefined, undefined] });
    expect((await pages({ limit: 5, sort: 'title', order: 'desc' })).titles).toEqual([[...sorted].reverse()]);
    expect((await pages({ status: 'draft' })).titles.flat().sort()).toEqual([...TITLES].sort());
    expect((await pages({ status: 'submitted' })).titles).toEqual([[]]);
  });

  it('shows a colleague none of the drafts (visibility is part of the query), and refuses bad paging', async () => {
    const res = await list(COLLEAGUE, {}).expect(200);
    expect([res.body, res.headers['x-total-count'], res.headers['x-next-cursor']]).toEqual([[], '0', undefined]);
    await list(PROPOSER, { limit: 0 }).expect(400);
    await list(PROPOSER, { limit: 501 }).expect(400);
    await list(PROPOSER, { sort: 'proposerId' }).expect(400);
    await list(PROPOSER, { order: 'up' }).expect(400);
    await list(PROPOSER, { cursor: 'bm90IGEgY3Vyc29y' }).expect(400);
  });
});
