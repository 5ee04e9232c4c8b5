import { type ChildProcess, fork } from 'child_process';
import { join } from 'path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { type OidcSettings, beginSignIn, challengeOf, completeSignIn } from '../src/auth/pkce';

// The console's OpenID Connect sign-in (Authorization Code + PKCE, issue 14) against a real provider
// process (oidc-provider); the access token it gets is then verified as the services verify every
// token of the instance's provider (DOTPHA_OIDC_ISSUER / AUDIENCE / JWKS_URL): TokenVerifier in
// libs/service-runtime/src/auth.ts makes this same jose check (the console may not import that lib).
const REDIRECT = 'http://127.0.0.1:3000/signed-in';
const AUDIENCE = 'https://api.tinhmau.invalid';
const USER = 'u-ccvc-chuyen-vien';

let provider: ChildProcess;
let settings: OidcSettings;

beforeAll(async () => {
  provider = fork(join(__dirname, 'oidc-provider.mjs'), [REDIRECT, AUDIENCE], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const issuer = await new Promise<string>((resolve, reject) => {
    provider.once('exit', (code) => reject(new Error(`the provider exited (${code})`)));
    provider.on('message', (m: { kind: string; issuer: string }) => m.kind === 'listening' && resolve(m.issuer));
  });
  settings = { issuer, clientId: 'dotpha-console', audience: AUDIENCE, redirectUri: REDIRECT };
}, 60_000);

afterAll(() => {
  provider?.removeAllListeners('exit');
  provider?.disconnect();
});

/** The person at the provider's pages: signs in as `login`, consents; returns where the provider sends the browser back. */
async function atTheProvider(url: string, login: string): Promise<string> {
  const cookies = new Map<string, string>();
  const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  let next = url;
  for (let step = 0; step < 12; step++) {
    if (next.startsWith(REDIRECT)) return next;
    const interaction = /\/interaction\/[^/?]+$/.test(new URL(next).pathname);
    const page = interaction ? await (await fetch(next, { headers: { cookie: cookie() } })).text() : '';
    const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
    const response = await fetch(next, {
      redirect: 'manual',
      headers: { cookie: cookie(), ...(interaction ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(interaction ? { method: 'POST', body: new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'x' } : { prompt: prompt ?? '' }) } : {}),
    });
    for (const set of response.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const location = response.headers.get('location');
    if (!location) throw new Error(`the provider answered ${response.status} at ${next} without sending the browser on`);
    next = new URL(location, next).toString();
  }
  throw new Error('the provider never sent the browser back');
}

describe('console sign-in with OpenID Connect: Authorization Code + PKCE', () => {
  it('signs in: the code, exchanged with the verifier, gives an access token the services accept for the user', async () => {
    const { url, pending } = await beginSignIn(settings);
    const asked = new URL(url).searchParams;
    expect(asked.get('code_challenge')).toBe(await challengeOf(pending.verifier));
    expect([asked.get('code_challenge_method'), asked.get('response_type'), asked.get('resource')]).toEqual(['S256', 'code', AUDIENCE]);
    const back = await atTheProvider(url, USER);
    const signedIn = await completeSignIn(settings, back, pending);
    expect(signedIn.userId).toBe(USER);
    const keys = createRemoteJWKSet(new URL(`${settings.issuer}/jwks`));
    const asServices = (token: string) => jwtVerify(token, keys, { issuer: settings.issuer, audience: AUDIENCE, algorithms: ['EdDSA', 'ES256', 'PS256'] });
    expect((await asServices(signedIn.accessToken)).payload.sub).toBe(USER);
    // The ID token is for the console, not for the API: the services refuse it (its audience is the client).
    await expect(asServices(signedIn.idToken)).rejects.toThrow('aud');
  });

  it('refuses a code without its verifier, and an answer to another sign-in (state)', async () => {
    const { url, pending } = await beginSignIn(settings);
    const back = await atTheProvider(url, USER);
    await expect(completeSignIn(settings, back, { ...pending, state: 'another' })).rejects.toThrow('state');
    await expect(completeSignIn(settings, back, { ...pending, verifier: 'x'.repeat(64) })).rejects.toThrow('refused the code');
  });
});
