import { type KeyObject, createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'crypto';
import { type JWTPayload, type JWTVerifyGetKey, SignJWT, createLocalJWKSet, createRemoteJWKSet, exportJWK, jwtVerify } from 'jose';
import { DomainError } from '@dotpha/kernel';

export class Unauthorized extends DomainError {
  readonly code = 'UNAUTHORIZED';
}

/**
 * Where bearer tokens come from: the instance's OpenID Connect provider (keys fetched from its
 * JWKS and refreshed when it rotates them), or the local issuer of the one-process mode and the
 * tests, which signs tokens for the users of the organisation file.
 */
export type AuthConfig =
  /** `clientId`: the console's client at the provider (a public client, Authorization Code + PKCE); unset, the console cannot sign in. */
  | { readonly kind: 'oidc'; readonly issuer: string; readonly audience: string; readonly jwksUrl: string; readonly clientId?: string }
  | { readonly kind: 'local'; readonly issuer: LocalIssuer };

export interface VerifiedToken {
  readonly userId: string;
  /** The role the token asks to act in, if it names one. */
  readonly role?: string;
}

const ALG = 'RS256';

/**
 * A signing key of its own and a JWKS with its public half; tokens for any user id (the token
 * endpoint of the one-process mode). Tests sign theirs with its key (@dotpha/testkit tokens.ts).
 */
export class LocalIssuer {
  readonly kid: string;
  private readonly publicKey: KeyObject;

  constructor(
    readonly privateKey: KeyObject = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
    readonly issuer = 'urn:dotpha:local-issuer',
    readonly audience = 'dotpha',
  ) {
    this.publicKey = createPublicKey(privateKey);
    // Derived from the key, so processes sharing a key name it alike.
    this.kid = `local-${createHash('sha256').update(this.publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16)}`;
  }

  /** Shares one key between processes (the distributed mode started locally). */
  static fromPem(pem: string, issuer?: string, audience?: string): LocalIssuer {
    return new LocalIssuer(createPrivateKey(pem), issuer, audience);
  }

  static newPem(): string {
    return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }

  async jwks(): Promise<{ keys: object[] }> {
    return { keys: [{ ...(await exportJWK(this.publicKey)), kid: this.kid, alg: ALG, use: 'sig' }] };
  }

  /** A token for `userId`, acting in `role` when one is named, valid for an hour. */
  async token(userId: string, options: { role?: string } = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(options.role ? { role: options.role } : {})
      .setProtectedHeader({ alg: ALG, kid: this.kid })
      .setSubject(userId)
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(this.privateKey);
  }
}

/** Verifies bearer tokens: signature against the issuer's keys, issuer, audience, expiry. */
export class TokenVerifier {
  private readonly keys: JWTVerifyGetKey | Promise<JWTVerifyGetKey>;
  private readonly issuer: string;
  private readonly audience: string;

  constructor(config: AuthConfig) {
    if (config.kind === 'oidc') {
      this.keys = createRemoteJWKSet(new URL(config.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
      ({ issuer: this.issuer, audience: this.audience } = config);
    } else {
      this.keys = config.issuer.jwks().then((jwks) => createLocalJWKSet(jwks as never));
      ({ issuer: this.issuer, audience: this.audience } = config.issuer);
    }
  }

  async verify(authorization: string | undefined): Promise<VerifiedToken> {
    const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(authorization ?? '');
    if (!match) throw new Unauthorized('a bearer token is required (Authorization: Bearer <token>)');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(match[1], await this.keys, { issuer: this.issuer, audience: this.audience, algorithms: [ALG, 'ES256', 'PS256'] }));
    } catch {
      // The reason (signature, expiry, issuer) is not told: it would only help a forger.
      throw new Unauthorized('the bearer token is not valid');
    }
    if (typeof payload.sub !== 'string' || !payload.sub) throw new Unauthorized('the bearer token names no subject');
    return { userId: payload.sub, role: typeof payload.role === 'string' ? payload.role : undefined };
  }
}
