// A real OpenID Connect provider (the oidc-provider package, certified) in its own process, for the
// console's sign-in test: one public client (the console) with PKCE required, access tokens as
// JWTs for the API's audience (RFC 8707), signed ES256. Any login is accepted (devInteractions).
// argv: redirect URI, audience. Tells its issuer to the parent over IPC.
import http from 'http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const [redirectUri, audience] = process.argv.slice(2);
const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;
const { privateKey } = await generateKeyPair('ES256', { extractable: true });
const key = { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: 'test-es256' };

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'dotpha-console', token_endpoint_auth_method: 'none', redirect_uris: [redirectUri],
    grant_types: ['authorization_code'], response_types: ['code'], id_token_signed_response_alg: 'ES256',
  }],
  jwks: { keys: [key] },
  pkce: { required: () => true },
  findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
  features: {
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, indicator) => {
        if (indicator !== audience) throw new Error(`unknown resource ${indicator}`);
        return { scope: '', audience, accessTokenFormat: 'jwt', accessTokenTTL: 600, jwt: { sign: { alg: 'ES256' } } };
      },
    },
  },
});
server.on('request', provider.callback());
process.send({ kind: 'listening', issuer });
process.on('disconnect', () => server.close(() => process.exit(0)));
