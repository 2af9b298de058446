/** A list's page: its items under the list's own key, with `next_cursor` (null on the last page). */
export type CursorPage = { next_cursor: string | null };

/**
 * Every page of a list, one request after another by cursor, until the last: the cost of each page stays the cost of
 * the first however deep the walk goes. `fetchPage` asks for the page after `cursor` (undefined for the first):
 *
 *   for await (const page of pages((cursor) => client.users.list.query({ limit: 100, cursor }))) use(page.users);
 *
 * It works the same over the REST client. Stop early with `break`: no request is made past the page in hand.
 */
export async function* pages<Page extends CursorPage>(
  fetchPage: (cursor: string | undefined) => Promise<Page>,
): AsyncGenerator<Page, void, undefined> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield page;
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
}
