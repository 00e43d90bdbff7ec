// The widget's start config (causerie_start): from mount()'s options (the script
// tag's data- attributes), the page, and what this browser kept for the thread.
import { store } from './util.js';
import { firstPageUrl } from './prefetch.js';

// The comment a #comment-<id> fragment names, 0 for none.
export function commentInHash() {
  const m = /^#comment-(\d+)$/.exec(location.hash);
  return m ? Number(m[1]) : 0;
}

// Returns {config, storageKey}. storageKey(kind, extra): the localStorage key of what
// is kept per API and thread: drafts (per comment answered), the comment being
// answered, and this reader's edit tokens.
export function readConfig(options) {
  const storageKey = (kind, extra) =>
    'causerie:' + kind + ':' + (options.api || '') + '|' + (options.thread || location.pathname) +
    (extra === undefined ? '' : ':' + extra);
  let owned = [];
  try { owned = JSON.parse(store.get(storageKey('owned')) || '[]'); } catch (e) { owned = []; }
  const config = {
    api: (options.api || '').replace(/\/+$/, ''),
    api_kind: options.apiKind === 'wordpress' ? 'wordpress' : 'causerie',
    thread: options.thread || location.pathname,
    // WordPress knows the post's title; document.title there is "Post – Site".
    title: options.title || (options.apiKind === 'wordpress' ? '' : document.title),
    lang: (options.lang || document.documentElement.lang || 'en').toLowerCase(),
    timezone_offset: -new Date().getTimezoneOffset(),
    target_comment: commentInHash(),
    owned: Array.isArray(owned) ? owned : [],
    reply_to: Number(store.get(storageKey('reply')) || 0),
  };
  // Causerie's data-api names ".../api/v1" (or the server's origin); its client
  // wants the server's base (core adds /api/v1 to every route).
  if (config.api_kind === 'causerie') config.server = config.api.replace(/\/api\/v1$/, '');
  config.first_page_url = firstPageUrl(config);
  return { config, storageKey };
}
