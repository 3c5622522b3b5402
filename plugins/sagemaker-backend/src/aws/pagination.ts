/** Fetches every page of a paginated AWS list call, one after another. */
export async function allPages<P extends { NextToken?: string }>(
  fetchPage: (nextToken: string | undefined) => Promise<P>,
): Promise<P[]> {
  const pages: P[] = [];
  let nextToken: string | undefined;
  do {
    const page = await fetchPage(nextToken);
    pages.push(page);
    nextToken = page.NextToken;
  } while (nextToken);
  return pages;
}
