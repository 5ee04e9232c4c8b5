import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type Role, type Schemas, answer, api, useCredentials } from './api/client';
import type { Directory, DirectoryUser } from './api/views';
import { type OidcSettings, type PendingSignIn, beginSignIn, completeSignIn } from './auth/pkce';

interface Stored {
  readonly token: string;
  readonly userId: string;
  readonly role: Role;
  readonly expiresAt: number;
}

/** How this instance signs in: the local issuer (development) or its OpenID Connect provider. */
export type SignInConfig = Schemas['SignInConfigDto'];

export interface Session {
  readonly config: SignInConfig | null;
  readonly directory: Directory | null;
  readonly user: DirectoryUser | null;
  readonly role: Role | null;
  /** With the local issuer: a token for a user of the organisation file. */
  signIn(userId: string): Promise<void>;
  /** With an OpenID Connect provider: off to its sign-in page (Authorization Code + PKCE), back at /signed-in. */
  signInWithProvider(): Promise<void>;
  /** Why coming back from the provider did not sign in. */
  readonly signInError: unknown;
  signOut(): void;
  switchRole(role: Role): void;
  /** Display name of a user of the organisation file (their id when unknown). */
  nameOf(userId: string): string;
  unitName(unitId: string): string;
}

const KEY = 'dotpha.session';
const PENDING = 'dotpha.oidc';
const RETURN_PATH = '/signed-in';
const oidcSettings = (config: SignInConfig): OidcSettings => ({
  issuer: config.issuer ?? '', clientId: config.clientId ?? '', audience: config.audience ?? '', redirectUri: `${window.location.origin}${RETURN_PATH}`,
});
const SessionContext = createContext<Session | null>(null);

const load = (): Stored | null => {
  try {
    const stored = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Stored | null;
    return stored && stored.expiresAt > Date.now() ? stored : null;
  } catch {
    return null;
  }
};

/**
 * Sign-in as the server says (GET /auth/config): with the local issuer (development), a token for a
 * user of the organisation file; with the instance's OpenID Connect provider, Authorization Code +
 * PKCE (auth/pkce.ts), the directory of users then read with the token.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [config, setConfig] = useState<SignInConfig | null>(null);
  const [directory, setDirectory] = useState<Directory | null>(null);
  const [stored, setStored] = useState<Stored | null>(load);
  const [signInError, setSignInError] = useState<unknown>(null);
  useCredentials(stored?.token ?? null, stored?.role ?? null);

  useEffect(() => {
    void answer<SignInConfig>(api.GET('/api/v1/auth/config')).then(setConfig, setSignInError);
  }, []);

  // The local issuer's directory is open; a provider's is read once signed in.
  useEffect(() => {
    if (config?.kind === 'local' || (config?.kind === 'oidc' && stored)) void answer<Directory>(api.GET('/api/v1/auth/users')).then(setDirectory, setSignInError);
  }, [config?.kind, stored?.token]);

  // Back from the provider: the code exchanged with the verifier kept before leaving.
  useEffect(() => {
    if (config?.kind !== 'oidc' || window.location.pathname !== RETURN_PATH) return;
    const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as PendingSignIn | null;
    sessionStorage.removeItem(PENDING);
    const back = window.location.href;
    window.history.replaceState(null, '', '/');
    if (!pending) return;
    void (async () => {
      const signed = await completeSignIn(oidcSettings(config), back, pending);
      useCredentials(signed.accessToken, null);
      const users = await answer<Directory>(api.GET('/api/v1/auth/users'));
      const user = users.users.find((u) => u.id === signed.userId);
      if (!user) throw new Error(signed.userId);
      save({ token: signed.accessToken, userId: signed.userId, role: (user.roles[0] ?? 'proposer') as Role, expiresAt: signed.expiresAt - 60_000 });
    })().catch(setSignInError);
  }, [config]);

  const save = (next: Stored | null) => {
    if (next) sessionStorage.setItem(KEY, JSON.stringify(next));
    else sessionStorage.removeItem(KEY);
    useCredentials(next?.token ?? null, next?.role ?? null);
    setStored(next);
  };

  const signIn = useCallback(async (userId: string) => {
    const token = await answer<{ access_token: string; expires_in: number }>(api.POST('/api/v1/auth/token', { body: { userId } }));
    const user = directory?.users.find((u) => u.id === userId);
    save({ token: token.access_token, userId, role: (user?.roles[0] ?? 'proposer') as Role, expiresAt: Date.now() + (token.expires_in - 60) * 1000 });
  }, [directory]);

  const signInWithProvider = useCallback(async () => {
    if (config?.kind !== 'oidc') return;
    const { url, pending } = await beginSignIn(oidcSettings(config));
    sessionStorage.setItem(PENDING, JSON.stringify(pending));
    window.location.assign(url);
  }, [config]);

  const session = useMemo<Session>(() => {
    const user = directory?.users.find((u) => u.id === stored?.userId) ?? null;
    const units = new Map(directory?.users.map((u) => [u.unit.id, u.unit.name]));
    return {
      config,
      directory,
      user,
      role: user ? (stored?.role ?? null) : null,
      signIn,
      signInWithProvider,
      signInError,
      signOut: () => save(null),
      switchRole: (role) => stored && save({ ...stored, role }),
      nameOf: (id) => directory?.users.find((u) => u.id === id)?.name ?? id,
      unitName: (id) => units.get(id) ?? id,
    };
  }, [config, directory, stored, signIn, signInWithProvider, signInError]);

  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
