import { type KeyObject, sign } from 'crypto';
import { SignJWT } from 'jose';

/**
 * What a test signs its bearer tokens with: the key and names of the issuer the services trust
 * (a LocalIssuer of @dotpha/service-runtime is one).
 */
export interface TokenKey {
  readonly kid: string;
  readonly issuer: string;
  readonly audience: string;
  readonly privateKey: KeyObject;
}

const ALG = 'RS256';

/** A token for `userId`, signed synchronously (RS256 is a plain RSA-SHA256 signature), for request helpers that cannot await. */
export function signTokenSync(key: TokenKey, userId: string, expiresInSeconds = 3600): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const signed = `${encode({ alg: ALG, kid: key.kid })}.${encode({ sub: userId, iss: key.issuer, aud: key.audience, iat: now, exp: now + expiresInSeconds })}`;
  return `${signed}.${sign('sha256', Buffer.from(signed), key.privateKey).toString('base64url')}`;
}

/** Tokens by user id, minted when first read: `tokens[userId]`. */
export function testTokens(key: TokenKey): Record<string, string> {
  const minted = new Map<string, string>();
  return new Proxy({} as Record<string, string>, {
    get: (_, userId) => {
      if (typeof userId !== 'string') return undefined;
      if (!minted.has(userId)) minted.set(userId, signTokenSync(key, userId));
      return minted.get(userId);
    },
  });
}

/** A token as a test needs it: expired, for another issuer or audience, naming a role. */
export async function signToken(
  key: TokenKey,
  userId: string,
  options: { role?: string; expiresInSeconds?: number; issuer?: string; audience?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(options.role ? { role: options.role } : {})
    .setProtectedHeader({ alg: ALG, kid: key.kid })
    .setSubject(userId)
    .setIssuer(options.issuer ?? key.issuer)
    .setAudience(options.audience ?? key.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresInSeconds ?? 3600))
    .sign(key.privateKey);
}
