/**
 * OpenID Connect sign-in for the console: Authorization Code with PKCE (RFC 7636), a public client
 * (no secret in the browser). The access token is asked for the API's audience (RFC 8707
 * `resource`), so the services verify it as they verify any token of the instance's provider
 * (DOTPHA_OIDC_ISSUER / AUDIENCE / JWKS_URL). Plain fetch and WebCrypto: it runs in the browser and,
 * for the test against a real provider, in Node.
 */
export interface OidcSettings {
  readonly issuer: string;
  readonly clientId: string;
  /** The API's audience (DOTPHA_OIDC_AUDIENCE): the access token is issued for it. */
  readonly audience: string;
  readonly redirectUri: string;
  readonly scope?: string;
}

/** What must survive the trip to the provider and back (kept in sessionStorage by the sign-in page). */
export interface PendingSignIn {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  readonly tokenEndpoint: string;
}

export interface SignedIn {
  readonly accessToken: string;
  readonly expiresAt: number;
  /** The user of the organisation file (the token's subject). */
  readonly userId: string;
  readonly idToken: string;
}

const base64url = (bytes: Uint8Array): string => {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};
const random = (n = 32) => base64url(crypto.getRandomValues(new Uint8Array(n)));

/** The S256 code challenge of a verifier. */
export async function challengeOf(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

async function discover(issuer: string): Promise<{ authorization_endpoint: string; token_endpoint: string; issuer: string }> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`the provider's discovery document answered ${response.status}`);
  const doc = (await response.json()) as { authorization_endpoint: string; token_endpoint: string; issuer: string };
  if (doc.issuer !== issuer) throw new Error(`the provider calls itself '${doc.issuer}', not '${issuer}'`);
  return doc;
}

/** Step 1: where to send the browser, and what to keep until it comes back. */
export async function beginSignIn(settings: OidcSettings): Promise<{ readonly url: string; readonly pending: PendingSignIn }> {
  const provider = await discover(settings.issuer);
  const pending = { state: random(), nonce: random(), verifier: random(48), tokenEndpoint: provider.token_endpoint };
  const url = new URL(provider.authorization_endpoint);
  for (const [k, v] of Object.entries({
    response_type: 'code', client_id: settings.clientId, redirect_uri: settings.redirectUri, scope: settings.scope ?? 'openid',
    state: pending.state, nonce: pending.nonce, code_challenge: await challengeOf(pending.verifier), code_challenge_method: 'S256', resource: settings.audience,
  })) url.searchParams.set(k, v);
  return { url: url.toString(), pending };
}

const claimsOf = (jwt: string): Record<string, unknown> => {
  const part = jwt.split('.')[1] ?? '';
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)))) as Record<string, unknown>;
};

/**
 * Step 2, on the redirect back: the state must be the one sent (no forged callback), the code is
 * exchanged with the verifier (a stolen code is useless without it), the ID token must carry the
 * nonce sent. The services verify the access token's signature themselves on every request.
 */
export async function completeSignIn(settings: OidcSettings, callbackUrl: string, pending: PendingSignIn): Promise<SignedIn> {
  const params = new URL(callbackUrl).searchParams;
  if (params.get('error')) throw new Error(`the provider refused the sign-in: ${params.get('error')} ${params.get('error_description') ?? ''}`.trim());
  if (params.get('state') !== pending.state) throw new Error('the sign-in answer does not match the request (state)');
  const code = params.get('code');
  if (!code) throw new Error('the sign-in answer holds no code');
  const response = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code, redirect_uri: settings.redirectUri, client_id: settings.clientId, code_verifier: pending.verifier, resource: settings.audience,
    }),
  });
  const tokens = (await response.json()) as { access_token?: string; id_token?: string; expires_in?: number; error?: string };
  if (!response.ok || !tokens.access_token || !tokens.id_token) throw new Error(`the provider's token endpoint refused the code: ${tokens.error ?? response.status}`);
  const id = claimsOf(tokens.id_token);
  if (id.nonce !== pending.nonce) throw new Error('the ID token does not carry the nonce of this sign-in');
  if (typeof id.sub !== 'string') throw new Error('the ID token names no subject');
  return { accessToken: tokens.access_token, idToken: tokens.id_token, userId: id.sub, expiresAt: Date.now() + (tokens.expires_in ?? 300) * 1000 };
}
