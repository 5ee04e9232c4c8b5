import { type ChildProcess, execFileSync, fork } from 'child_process';
import { join } from 'path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { type Browser, chromium } from 'playwright-core';
import { type OidcSettings, beginSignIn, challengeOf, completeSignIn } from '../src/auth/pkce';
import { type Host, startHost } from './host';

// The console's OpenID Connect sign-in (Authorization Code + PKCE, issue 14) against a real provider
// process (oidc-provider), with the one-process host configured for it (DOTPHA_OIDC_*): the access
// token pkce.ts gets is verified as the services verify every token of the instance's provider
// (TokenVerifier in libs/service-runtime/src/auth.ts makes this same jose check; the console may not
// import that lib), and a browser signs in through the console's own page and sees its proposals.
const AUDIENCE = 'https://api.tinhmau.invalid';
const CLIENT = 'dotpha-console';
const USER = 'u-ccvc-chuyen-vien';
const DRAFT = 'Một cửa liên thông cấp phép xây dựng';

let provider: ChildProcess;
let host: Host;
let redirect: string;
let settings: OidcSettings;

/** The provider, sending the browser back to the console at `redirect`; its issuer. */
async function startProvider(): Promise<string> {
  provider = fork(join(__dirname, 'oidc-provider.mjs'), [redirect, AUDIENCE], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise<string>((resolve, reject) => {
    provider.once('exit', (code) => reject(new Error(`the provider exited (${code})`)));
    provider.on('message', (m: { kind: string; issuer: string }) => m.kind === 'listening' && resolve(m.issuer));
  });
}

beforeAll(async () => {
  host = await startHost((m) => process.stderr.write(`${m}\n`), async (url) => {
    redirect = `${url}/signed-in`;
    const issuer = await startProvider();
    settings = { issuer, clientId: CLIENT, audience: AUDIENCE, redirectUri: redirect };
    return { DOTPHA_OIDC_ISSUER: issuer, DOTPHA_OIDC_AUDIENCE: AUDIENCE, DOTPHA_OIDC_JWKS_URL: `${issuer}/jwks`, DOTPHA_OIDC_CLIENT_ID: CLIENT };
  });
}, 240_000);

afterAll(async () => {
  await host?.stop();
  provider?.removeAllListeners('exit');
  provider?.disconnect();
});

/** The person at the provider's pages: signs in as `login`, consents; returns where the provider sends the browser back. */
async function atTheProvider(url: string, login: string): Promise<string> {
  const cookies = new Map<string, string>();
  const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  let next = url;
  for (let step = 0; step < 12; step++) {
    if (next.startsWith(redirect)) return next;
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

describe('the console signs in at the provider (browser)', () => {
  let browser: Browser;
  beforeAll(async () => {
    const chromiumPath = execFileSync(process.execPath, [join(__dirname, 'ensure-chromium.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--lang=vi-VN'] });
  }, 240_000);
  afterAll(() => browser?.close());

  it('tells the console to sign in at the provider, keeps the directory for signed-in callers, and signs in by clicking', async () => {
    expect(await (await fetch(`${host.url}/api/v1/auth/config`)).json()).toEqual({ kind: 'oidc', issuer: settings.issuer, clientId: CLIENT, audience: AUDIENCE });
    expect((await fetch(`${host.url}/api/v1/auth/users`)).status).toBe(401);
    expect((await fetch(`${host.url}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: USER }) })).status).toBe(404);
    // A draft of the user's, written with a token of the provider, for the list to show.
    const { url, pending } = await beginSignIn(settings);
    const token = (await completeSignIn(settings, await atTheProvider(url, USER), pending)).accessToken;
    const created = await fetch(`${host.url}/api/v1/proposals`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ title: DRAFT, field: 'administrative-reform', problemType: 'unregulated', isScheme: false, report: {} }),
    });
    expect(created.status).toBe(201);

    const context = await browser.newContext({ locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Đăng nhập qua hệ thống định danh' }).click();
    // The provider's own pages (oidc-provider's development login, then its consent).
    await page.waitForURL((at) => at.origin === new URL(settings.issuer).origin);
    await page.locator('input[name="login"]').fill(USER);
    await page.locator('input[name="password"]').fill('x');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((at) => at.origin === host.url && at.pathname === '/');
    await page.getByRole('heading', { name: 'Đề xuất của tôi' }).waitFor();
    await page.getByRole('link', { name: DRAFT }).waitFor({ timeout: 30_000 });
    const stored = JSON.parse(await page.evaluate<string>("sessionStorage.getItem('dotpha.session')")) as { userId: string; role: string };
    expect(stored).toMatchObject({ userId: USER, role: 'proposer' });
    await context.close();
  }, 120_000);
});
