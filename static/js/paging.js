/* Page links for the API's `{"next", "previous", "result"}` lists, as URLs of this screen. */

/* The page number asked for in a query (1 when absent or not a number). */
export function pageOf(query) {
  const page = Number.parseInt(query.get('page'), 10);
  return Number.isFinite(page) && page > 0 ? page : 1;
}

/* This screen's URL with the `page` of an API link, or null when there is no such link. */
function screenLink(apiLink, query) {
  if (!apiLink) return null;
  const page = new URL(apiLink, window.location.origin).searchParams.get('page') || '1';
  const params = new URLSearchParams(query);
  if (page === '1') params.delete('page');
  else params.set('page', page);
  const search = params.toString();
  return window.location.pathname + (search ? `?${search}` : '');
}

/* Previous and next links of a page of results, for the `pager` template. */
export function pagerFor(answer, query) {
  const previous = screenLink(answer.previous, query);
  const next = screenLink(answer.next, query);
  return { previous, next, shown: !!(previous || next), page: String(pageOf(query)) };
}
