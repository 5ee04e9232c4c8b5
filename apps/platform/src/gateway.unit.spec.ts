// The distributed mode's gateway against three small HTTP services that publish an OpenAPI document:
// its route table comes from those documents, not from a list in the gateway.
import http from 'http';
import type { AddressInfo } from 'net';
import { type Gateway, startGateway } from './gateway';

type Handler = (method: string, path: string, body: string) => { status: number; body: unknown; headers?: Record<string, string> };
const servers: http.Server[] = [];

async function service(paths: Record<string, string[]>, handle: Handler): Promise<string> {
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (c: Buffer) => (body += c.toString())).on('end', () => {
      const path = request.url ?? '/';
      const answer = path === '/api/docs-json'
        ? { status: 200, body: { paths: Object.fromEntries(Object.entries(paths).map(([p, methods]) => [p, Object.fromEntries(methods.map((m) => [m, {}]))])) } }
        : handle(request.method ?? 'GET', path, body);
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(JSON.stringify(answer.body));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const shared = { '/api/v1/audit/streams/{id}': ['get'], '/api/v1/admin/status': ['get'] };
let gateway: Gateway;

beforeAll(async () => {
  const a = await service({ ...shared, '/api/v1/things': ['get', 'post'], '/api/v1/things/{id}': ['get'] }, (method, path, body) =>
    path === '/api/v1/admin/status' ? { status: 200, body: [{ service: 'a' }] }
      : path.startsWith('/api/v1/audit/') ? { status: 404, body: { code: 'NOT_FOUND' } }
        : { status: method === 'POST' ? 201 : 200, body: { from: 'a', method, path, body }, headers: { 'x-next-cursor': 'c1' } });
  const b = await service({ ...shared, '/api/v1/things/missing': ['get'] }, (_method, path) =>
    path === '/api/v1/admin/status' ? { status: 200, body: [{ service: 'b' }] }
      : path === '/api/v1/audit/streams/b-1' ? { status: 200, body: { streamId: 'b-1', service: 'b' } }
        : path.startsWith('/api/v1/audit/') ? { status: 404, body: { code: 'NOT_FOUND' } } : { status: 200, body: { from: 'b', path } });
  const c = await service(shared, (_method, path) => (path === '/api/v1/admin/status' ? { status: 200, body: [{ service: 'c' }] } : { status: 404, body: { code: 'NOT_FOUND' } }));
  gateway = await startGateway({ a, b, c }, 0);
});

afterAll(async () => {
  await gateway?.close();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

const get = async (path: string, init?: RequestInit) => {
  const response = await fetch(`${gateway.url}${path}`, init);
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, cursor: response.headers.get('x-next-cursor') };
};

it("sends a route one service declares to that service, body, status and headers through; the most literal path first", async () => {
  expect(await get('/api/v1/things?limit=2')).toEqual({ status: 200, body: { from: 'a', method: 'GET', path: '/api/v1/things?limit=2', body: '' }, cursor: 'c1' });
  const posted = await get('/api/v1/things', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"x"}' });
  expect(posted).toMatchObject({ status: 201, body: { from: 'a', method: 'POST', body: '{"title":"x"}' } });
  expect((await get('/api/v1/things/missing')).body).toEqual({ from: 'b', path: '/api/v1/things/missing' });
  expect((await get('/api/v1/things/42')).body).toMatchObject({ from: 'a', path: '/api/v1/things/42' });
});

it('asks every service for a resource a shared route names and answers the one that has it, 404 when none has', async () => {
  expect(await get('/api/v1/audit/streams/b-1')).toMatchObject({ status: 200, body: { streamId: 'b-1', service: 'b' } });
  expect((await get('/api/v1/audit/streams/nowhere')).status).toBe(404);
});

it("merges the services' lists on a shared route without a resource, and refuses a route no service declares", async () => {
  expect((await get('/api/v1/admin/status')).body).toEqual([{ service: 'a' }, { service: 'b' }, { service: 'c' }]);
  expect(await get('/api/v1/nothing')).toMatchObject({ status: 404, body: { message: 'no service serves GET /api/v1/nothing' } });
  expect(gateway.routes.map((r) => `${r.method} ${r.template}`)).toContain('GET /api/v1/things/missing');
});

it("serves the one-process host's sign-in routes, which no service has: the local issuer's config and the organisation file's users", async () => {
  expect((await get('/api/v1/auth/config')).body).toEqual({ kind: 'local' });
  const { body } = await get('/api/v1/auth/users');
  expect(body.instance).toEqual({ id: 'tm', name: 'Tỉnh Mẫu' });
  expect((body.users as { id: string }[]).map((u) => u.id)).toContain('u-ccvc-chuyen-vien');
});
