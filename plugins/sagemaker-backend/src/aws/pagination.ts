/**
 * Reads every page of an SDK paginator (`paginateListModelPackages`,
 * `paginateSearch`…) and returns the items of all pages, in order. Run it
 * inside one gateway call, so that a failure on any page is translated with
 * the account and the action named.
 */
export async function collectPages<P, T>(
  pages: AsyncIterable<P>,
  itemsOf: (page: P) => T[] | undefined,
): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages) {
    items.push(...(itemsOf(page) ?? []));
  }
  return items;
}
