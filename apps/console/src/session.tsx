import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type Role, answer, api, useCredentials } from './api/client';
import type { Directory, DirectoryUser } from './api/views';

interface Stored {
  readonly token: string;
  readonly userId: string;
  readonly role: Role;
  readonly expiresAt: number;
}

export interface Session {
  readonly directory: Directory | null;
  readonly user: DirectoryUser | null;
  readonly role: Role | null;
  signIn(userId: string): Promise<void>;
  signOut(): void;
  switchRole(role: Role): void;
  /** Display name of a user of the organisation file (their id when unknown). */
  nameOf(userId: string): string;
  unitName(unitId: string): string;
}

const KEY = 'dotpha.session';
const SessionContext = createContext<Session | null>(null);

const load = (): Stored | null => {
  try {
    const stored = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Stored | null;
    return stored && stored.expiresAt > Date.now() ? stored : null;
  } catch {
    return null;
  }
};

/** Sign-in with the local issuer (development): a token for a user of the organisation file. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [directory, setDirectory] = useState<Directory | null>(null);
  const [stored, setStored] = useState<Stored | null>(load);
  useCredentials(stored?.token ?? null, stored?.role ?? null);

  useEffect(() => {
    void answer<Directory>(api.GET('/api/v1/auth/users')).then(setDirectory);
  }, []);

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

  const session = useMemo<Session>(() => {
    const user = directory?.users.find((u) => u.id === stored?.userId) ?? null;
    const units = new Map(directory?.users.map((u) => [u.unit.id, u.unit.name]));
    return {
      directory,
      user,
      role: user ? (stored?.role ?? null) : null,
      signIn,
      signOut: () => save(null),
      switchRole: (role) => stored && save({ ...stored, role }),
      nameOf: (id) => directory?.users.find((u) => u.id === id)?.name ?? id,
      unitName: (id) => units.get(id) ?? id,
    };
  }, [directory, stored, signIn]);

  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
