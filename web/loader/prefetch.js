// The thread's first page: its URL, built here only (the widget's core client reads
// it from the start config), and asked for at mount while the widget's files load.

// Comments per page: the most the server gives (docs/api.md).
const PAGE_SIZE = 200;

// Causerie's API only (config.server: config.js). The thread key is
// percent-encoded as RFC 3986 wants, like core's percent_encode.
export function firstPageUrl(config) {
  if (config.api_kind !== 'causerie') return '';
  const origin = config.server;
  const key = encodeURIComponent(config.thread).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return origin + '/api/v1/threads/' + key + '/comments?sort=oldest&limit=' + PAGE_SIZE;
}

// The widget's first request for config.first_page_url takes this answer
// (host.takePrefetch) instead of going out. Not with edit tokens: those go in a header.
export function prefetchFirstPage(config) {
  const url = config.first_page_url;
  if (!url || !config.api || config.owned.length) return null;
  const signal = AbortSignal.timeout ? AbortSignal.timeout(15000) : undefined;  // the widget's own timeout
  const answer = fetch(url, { headers: { Accept: 'application/json' }, signal })
    .then(async (r) => ({
      status: r.status,
      body: new Uint8Array(await r.arrayBuffer()),
      headers: [...r.headers].map(([name, value]) => name + ': ' + value + '\r\n').join(''),
    }))
    .catch(() => ({ status: 0, body: new Uint8Array(0), headers: '' }));
  return { url, answer };
}
