import type { Platform, ServiceName } from './platform';

export interface Reply<T = any> {
  readonly status: number;
  readonly body: T;
}

/** Which service answers a path: the first segment after /api/v1. */
const SERVICE_OF: Record<string, ServiceName> = {
  proposals: 'proposals',
  registrations: 'proposals',
  reviews: 'approvals',
  pilots: 'monitoring',
  evaluations: 'evaluation',
  recognitions: 'rewards',
  auth: 'proposals',
  cadres: 'rewards',
  reports: 'rewards',
  me: 'rewards',
  'inspection-cases': 'evaluation',
  assignments: 'proposals',
};

/** Streams are named `<type>-<id>`; each type belongs to one service. */
const STREAM_OWNER: Record<string, ServiceName> = {
  proposal: 'proposals', registration: 'proposals', assignment: 'proposals', review: 'approvals', pilot: 'monitoring', evaluation: 'evaluation', inspection: 'evaluation',
  recognition: 'rewards', cadre: 'rewards', report: 'rewards',
};

function serviceOf(path: string): ServiceName | undefined {
  const [, first, second, third] = path.split(/[/?]/);
  if (first === 'audit' && second === 'streams') return STREAM_OWNER[third.split('-')[0]];
  return SERVICE_OF[first];
}

/** A caller of the HTTP API as one user of the sample province, acting in one role. */
export class Caller {
  constructor(private readonly platform: Platform, readonly userId: string, readonly role?: string, private readonly service?: ServiceName) {}

  as(role: string): Caller {
    return new Caller(this.platform, this.userId, role, this.service);
  }

  /** Sends to one service's process (admin and audit-wide endpoints answer for their own process). */
  on(service: ServiceName): Caller {
    return new Caller(this.platform, this.userId, this.role, service);
  }

  get<T = any>(path: string): Promise<Reply<T>> {
    return this.send('GET', path);
  }

  post<T = any>(path: string, body: unknown = {}): Promise<Reply<T>> {
    return this.send('POST', path, body);
  }

  put<T = any>(path: string, body: unknown): Promise<Reply<T>> {
    return this.send('PUT', path, body);
  }

  /** Sends raw text as the body (malformed JSON, oversized bodies). */
  raw(method: string, path: string, text: string): Promise<Reply> {
    return this.send(method, path, undefined, text);
  }

  private async send(method: string, path: string, body?: unknown, text?: string): Promise<Reply> {
    const service = this.service ?? serviceOf(path);
    if (!service) throw new Error(`no service serves ${path}`);
    const headers: Record<string, string> = { authorization: `Bearer ${await this.platform.token(this.userId)}`, 'content-type': 'application/json' };
    if (this.role) headers['x-role'] = this.role;
    return request(`${this.platform.url(service)}/api/v1${path}`, { method, headers, body: text ?? (body === undefined ? undefined : JSON.stringify(body)) });
  }
}

/** One HTTP request as it is sent: the reply's status and its body, parsed when it is JSON. */
export async function request(url: string, init: RequestInit): Promise<Reply> {
  const response = await fetch(url, init);
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: response.status, body: parsed };
}

/** The platform of a describe block: started before its tests, stopped after them. */
export interface StartedPlatform {
  readonly platform: Platform;
  /** A caller as one user of the sample province, in one role. */
  as(userId: string, role?: string): Caller;
}

export function startedPlatform(start: () => Promise<Platform>): StartedPlatform {
  let platform: Platform | undefined;
  beforeAll(async () => {
    platform = await start();
  }, 180_000);
  afterAll(() => platform?.stop());
  const started: StartedPlatform = {
    get platform() {
      if (!platform) throw new Error('the platform has not started');
      return platform;
    },
    as: (userId, role) => new Caller(started.platform, userId, role),
  };
  return started;
}

/** Polls an asynchronous probe until it holds: read models follow commands through the bus. */
export async function until<T>(probe: () => Promise<T>, holds: (value: T) => boolean, what: string, ms = 30_000, every = 100): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T = await probe();
  while (!holds(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, every));
    last = await probe();
  }
  return last;
}

/** Fails with the reply when a command was not accepted. */
export function ok<T>(reply: Reply<T>, status = 200): T {
  if (reply.status !== status) throw new Error(`expected ${status}, got ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body;
}
