/** An HTTP answer of a paged list (supertest's response): its headers name the next page. */
export interface PagedAnswer {
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

/** Follows a paged list's X-Next-Cursor from the first page (cursor '') to the last: every page's answer, in order. */
export async function everyPage<R extends PagedAnswer>(read: (cursor: string) => Promise<R>): Promise<R[]> {
  const pages: R[] = [];
  let cursor = '';
  do {
    const page = await read(cursor);
    pages.push(page);
    cursor = page.headers['x-next-cursor'] ?? '';
  } while (cursor);
  return pages;
}
