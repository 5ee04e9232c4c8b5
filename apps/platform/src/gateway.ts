// The console's own deployable in the distributed mode (`npm run start:distributed` starts it):
// serves the built console (apps/console) and forwards each /api/v1 request to the service that
// owns its route. The route table is read from the services' own OpenAPI documents at start, never
// written by hand: a route one service declares goes to it; a route every service declares (the
// host's audit, admin and auth routes) goes to the one that has the resource named in the path
// (the first answer other than 404), or, without one, to all of them with their JSON answers
// merged (lists concatenated: the operator's status, the dead letters, the checkpoints, the keys).
//
// DOTPHA_GATEWAY_SERVICES: {"proposals":"http://127.0.0.1:3001",...}; PORT (3000), HOST; DOTPHA_CONSOLE_DIR (the built
// console; the image sets it); DOTPHA_GATEWAY_START_TIMEOUT_MS (how long it waits for the services' documents at start,
// 300000: in a cluster the services may come up after it); the services' DOTPHA_ORG_FILE and DOTPHA_OIDC_* (sign-in).
import { existsSync } from 'fs';
import http, { type IncomingMessage, type ServerResponse } from 'http';
import { join } from 'path';
import express from 'express';
import helmet from 'helmet';
import { TokenVerifier, configFromEnv, newAuditKeyPem } from '@dotpha/service-runtime';
import { CONSOLE_DIR, signInConfig, signInDirectory } from './console';

export interface Route {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  readonly services: readonly string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const literals = (template: string) => template.split('/').filter((s) => s && !s.startsWith('{')).length;

/** Each service's OpenAPI paths, as routes; the most literal first (`/registrations/missing` before `/registrations/{unitId}`). */
export async function routeTable(services: Readonly<Record<string, string>>): Promise<Route[]> {
  const owners = new Map<string, string[]>();
  for (const [service, url] of Object.entries(services)) {
    const document = (await (await fetch(`${url}/api/docs-json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const method of METHODS.filter((m) => m in operations)) {
        const key = `${method.toUpperCase()} ${path}`;
        owners.set(key, [...(owners.get(key) ?? []), service]);
      }
    }
  }
  return [...owners].map(([key, owned]) => {
    const [method, template] = key.split(' ');
    const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    return { method, template, pattern, services: owned };
  }).sort((a, b) => literals(b.template) - literals(a.template));
}

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer'];
const endToEnd = (headers: http.IncomingHttpHeaders) => Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.includes(name)));

/** One request to a service: streamed through when `response` is given, else answered in memory. */
function forward(base: string, request: IncomingMessage, body: Buffer | null, response?: ServerResponse): Promise<Answer> {
  const target = new URL(request.url ?? '/', base);
  return new Promise((resolve, reject) => {
    const upstream = http.request(target, { method: request.method, headers: { ...endToEnd(request.headers), host: target.host } }, (answer) => {
      if (response) {
        response.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
        answer.pipe(response);
        answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.alloc(0) }));
        return;
      }
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }));
    });
    upstream.on('error', reject);
    if (body) upstream.end(body);
    else request.pipe(upstream);
  });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Two services' answers as one: lists concatenated (a repeated item once), objects field by field, else the first. */
export function merge(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) {
    const seen = new Set(a.map((x) => JSON.stringify(x)));
    return [...a, ...b.filter((x) => !seen.has(JSON.stringify(x)))];
  }
  if (isObject(a) && isObject(b)) return Object.fromEntries([...new Set([...Object.keys(a), ...Object.keys(b)])].map((k) => [k, k in a && k in b ? merge(a[k], b[k]) : (a[k] ?? b[k])]));
  return a ?? b;
}

const readBody = (request: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
  });

function send(response: ServerResponse, answer: Answer): void {
  const headers = endToEnd(answer.headers);
  delete headers['content-length'];
  response.writeHead(answer.status, headers).end(answer.body);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(value));
}

/** Answers one /api request from the services the route table names. */
export function apiHandler(routes: readonly Route[], services: Readonly<Record<string, string>>) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://gateway').pathname;
    const route = routes.find((r) => r.method === request.method && r.pattern.test(path));
    if (!route) return sendJson(response, 404, { statusCode: 404, code: 'NOT_FOUND', message: `no service serves ${request.method} ${path}` });
    const bases = route.services.map((s) => services[s]);
    if (bases.length === 1) {
      await forward(bases[0], request, null, response);
      return;
    }
    const body = await readBody(request);
    if (route.template.includes('{')) {
      // The resource the path names lives in one service: the first that does not answer 404.
      let answer: Answer | undefined;
      for (const base of bases) {
        answer = await forward(base, request, body);
        if (answer.status !== 404) break;
      }
      return send(response, answer!);
    }
    const answers = await Promise.all(bases.map((base) => forward(base, request, body)));
    const failed = answers.find((a) => a.status >= 300);
    if (failed) return send(response, failed);
    sendJson(response, answers[0].status, answers.map((a) => JSON.parse(a.body.toString('utf8')) as unknown).reduce(merge));
  };
}

export interface Gateway {
  readonly url: string;
  readonly routes: readonly Route[];
  close(): Promise<void>;
}

/** The gateway on `port`: the console at `/`, the API forwarded, its own sign-in list with the local issuer. */
export async function startGateway(services: Readonly<Record<string, string>>, port: number, host = '127.0.0.1'): Promise<Gateway> {
  const routes = await routeTable(services);
  // No store, no bus, and no checkpoints to sign: production asks a service for its audit key, not the gateway.
  const unsigned = process.env.DOTPHA_AUDIT_KEY || process.env.DOTPHA_AUDIT_KEY_FILE ? {} : { DOTPHA_AUDIT_KEY: newAuditKeyPem() };
  const config = configFromEnv({ ...process.env, DOTPHA_MONGO_URL: '', DOTPHA_KAFKA_BROKERS: '', ...unsigned });
  const api = apiHandler(routes, services);
  const app = express();
  app.disable('x-powered-by');
  app.get('/health/live', (_request, response) => void response.json({ status: 'ok' }));
  // How the console signs in, and the list of users (open with the local issuer, to a signed-in caller with a provider):
  // the one-process host's own routes, which no service of the five serves.
  const tokens = config.auth.kind === 'oidc' ? new TokenVerifier(config.auth) : null;
  app.get('/api/v1/auth/config', (_request, response) => void response.json(signInConfig(config.auth)));
  app.get('/api/v1/auth/users', (request, response) => {
    (tokens?.verify(request.headers.authorization) ?? Promise.resolve()).then(
      () => response.json(signInDirectory(config.org)),
      (error: Error) => sendJson(response, 401, { statusCode: 401, code: 'UNAUTHORIZED', message: error.message }),
    );
  });
  app.use('/api', (request, response) => {
    request.url = request.originalUrl;
    api(request, response).catch((error: Error) => sendJson(response, 502, { statusCode: 502, message: `gateway: ${error.message}` }));
  });
  // The console's pages with the one-process host's headers (helmet; the provider's origin callable with OIDC).
  app.use(helmet({ contentSecurityPolicy: { directives: { connectSrc: ["'self'", ...(config.auth.kind === 'oidc' ? [new URL(config.auth.issuer).origin] : [])] } } }));
  const index = join(CONSOLE_DIR, 'index.html');
  if (existsSync(index)) {
    app.use('/assets', express.static(join(CONSOLE_DIR, 'assets'), { immutable: true, maxAge: '1y' }));
    app.use(express.static(CONSOLE_DIR));
    app.get(/.*/, (_request, response) => response.sendFile(index));
  }
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://${host}:${address.port}`,
    routes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Starts the gateway, trying again while a service does not yet answer with its OpenAPI document. */
export async function startGatewayWhenServicesAnswer(services: Readonly<Record<string, string>>, port: number, host: string, timeoutMs: number): Promise<Gateway> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await startGateway(services, port, host);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      process.stderr.write(`gateway: waiting for the services' OpenAPI documents (${(error as Error).message})\n`);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
}

if (require.main === module) {
  const services = JSON.parse(process.env.DOTPHA_GATEWAY_SERVICES ?? '{}') as Record<string, string>;
  const timeoutMs = Number(process.env.DOTPHA_GATEWAY_START_TIMEOUT_MS ?? 300_000);
  void startGatewayWhenServicesAnswer(services, Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1', timeoutMs).then((gateway) => {
    process.stderr.write(`gateway: the console and the API of ${Object.keys(services).join(', ')} at ${gateway.url} (${gateway.routes.length} routes from their OpenAPI documents)\n`);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void gateway.close().then(() => process.exit(0)));
  }, (error: Error) => {
    process.stderr.write(`gateway: ${error.stack ?? error.message}\n`);
    process.exit(1);
  });
}
