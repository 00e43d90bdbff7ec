// The thread's live stream (docs/api.md, GET .../events): open while the thread is
// on screen and the tab visible, closed a little after it is not (scrolling past
// and back costs no reconnection). Each event goes to deliver(type, id, data).
// EventSource reconnects by itself when a connection drops, with Last-Event-ID,
// so a reader whose server process went away resumes on another one; after a
// refusal (429, 503) it gives up, and a new one is opened later.
const LIVE_LINGER_MS = 10000;
export function liveStream(root, deliver) {
  let url = '', position = '', source = null;
  let onScreen = false, lingering = 0, retrying = 0, backoff = 0;
  function open() {
    source = new EventSource(url + '?after=' + encodeURIComponent(position));
    const forward = (e) => {
      if (e.lastEventId) position = e.lastEventId;
      deliver(e.type, e.lastEventId, e.data);
    };
    for (const type of ['comment', 'update', 'reset']) source.addEventListener(type, forward);
    source.onopen = () => { backoff = 0; };
    source.onerror = () => {
      if (!source || source.readyState !== EventSource.CLOSED) return;  // reconnecting by itself
      source = null;
      backoff = Math.min(backoff ? backoff * 2 : 30000, 300000);
      retrying = setTimeout(() => { retrying = 0; update(); }, backoff * (0.75 + Math.random() / 2));
    };
  }
  function close() {
    if (source) source.close();
    source = null;
  }
  function update() {
    const wanted = url && position && onScreen && document.visibilityState === 'visible';
    if (wanted) {
      clearTimeout(lingering);
      lingering = 0;
      if (!source && !retrying) open();
    } else if (!position) {
      close();
    } else if (source && !lingering) {
      lingering = setTimeout(() => { lingering = 0; close(); }, LIVE_LINGER_MS);
    }
  }
  const seen = new IntersectionObserver((entries) => {
    onScreen = entries[entries.length - 1].isIntersecting;
    update();
  }, { rootMargin: '200px 0px' });
  seen.observe(root);
  document.addEventListener('visibilitychange', update);
  return {
    // Where to resume (the widget says so after each read of the thread; "" closes).
    follow(eventsUrl, after) {
      if (eventsUrl === url && after === position) return;
      close();
      url = eventsUrl;
      position = after;
      update();
    },
    get open() { return !!source; },
    destroy() {
      close();
      clearTimeout(lingering);
      clearTimeout(retrying);
      seen.disconnect();
      document.removeEventListener('visibilitychange', update);
    },
  };
}
