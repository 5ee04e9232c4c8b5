import { useEffect, useState } from 'react';

/** The page, from the location hash: `#/proposals/<id>` → ['proposals', '<id>']. */
export function useRoute(): readonly string[] {
  const read = () => window.location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const changed = () => setRoute(read());
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}

export const go = (...parts: string[]) => {
  window.location.hash = `#/${parts.join('/')}`;
};

/** Reads until the answer satisfies `done` (the read models follow the commands within moments). */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, tries = 60): Promise<T> {
  let value = await read();
  for (let i = 1; i < tries && !done(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    value = await read();
  }
  return value;
}
