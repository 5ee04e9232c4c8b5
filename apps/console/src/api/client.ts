import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Role = NonNullable<NonNullable<paths['/api/v1/proposals']['get']['parameters']['header']>['x-role']>;

/** What the server answers when it refuses (ErrorFilter): a stable code and its own message(s). */
export interface Refusal {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string | string[];
  readonly details?: { readonly clause?: string; readonly missing?: readonly string[] };
}

export class ApiError extends Error {
  constructor(readonly refusal: Refusal) {
    super(Array.isArray(refusal.message) ? refusal.message.join('; ') : refusal.message);
  }
}

interface Credentials {
  token: string | null;
  role: Role | null;
}
const credentials: Credentials = { token: null, role: null };

/** The bearer token and the role the next calls act in (the header's role switch sets it). */
export function useCredentials(token: string | null, role: Role | null): void {
  credentials.token = token;
  credentials.role = role;
}

const auth: Middleware = {
  onRequest({ request }) {
    if (credentials.token) request.headers.set('authorization', `Bearer ${credentials.token}`);
    if (credentials.role) request.headers.set('x-role', credentials.role);
    return request;
  },
};

/** The typed client of the served OpenAPI document (schema.d.ts is generated: npm run console:api). */
export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? '' });
api.use(auth);

/**
 * The body of an answer, or an ApiError with the server's refusal. The document does not describe
 * most read models yet, so reads name the view they expect (views.ts).
 */
export async function answer<T>(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) {
    const refusal = (error ?? {}) as Partial<Refusal>;
    throw new ApiError({ statusCode: response.status, code: refusal.code ?? 'ERROR', message: refusal.message ?? response.statusText, details: refusal.details });
  }
  return data as T;
}
