import { type KeyObject, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'crypto';
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
  | { readonly kind: 'oidc'; readonly issuer: string; readonly audience: string; readonly jwksUrl: string }
  | { readonly kind: 'local'; readonly issuer: LocalIssuer };

export interface VerifiedToken {
  readonly userId: string;
  /** The role the token asks to act in, if it names one. */
  readonly role?: string;
}

const ALG = 'RS256';

/** A signing key of its own and a JWKS with its public half; tokens for any user id. */
export class LocalIssuer {
  readonly kid: string;
  private readonly publicKey: KeyObject;

  constructor(
    private readonly privateKey: KeyObject = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
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

  /**
   * The same token, signed synchronously (RS256 is a plain RSA-SHA256 signature), for request
   * helpers that cannot await.
   */
  tokenSync(userId: string, expiresInSeconds = 3600): string {
    const now = Math.floor(Date.now() / 1000);
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const signed = `${encode({ alg: ALG, kid: this.kid })}.${encode({ sub: userId, iss: this.issuer, aud: this.audience, iat: now, exp: now + expiresInSeconds })}`;
    return `${signed}.${sign('sha256', Buffer.from(signed), this.privateKey).toString('base64url')}`;
  }

  /** Tokens by user id, minted when first read. */
  tokens(): Record<string, string> {
    const minted = new Map<string, string>();
    return new Proxy({} as Record<string, string>, {
      get: (_, userId) => {
        if (typeof userId !== 'string') return undefined;
        if (!minted.has(userId)) minted.set(userId, this.tokenSync(userId));
        return minted.get(userId);
      },
    });
  }

  async token(userId: string, options: { role?: string; expiresInSeconds?: number; issuer?: string; audience?: string } = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(options.role ? { role: options.role } : {})
      .setProtectedHeader({ alg: ALG, kid: this.kid })
      .setSubject(userId)
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.audience ?? this.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + (options.expiresInSeconds ?? 3600))
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
