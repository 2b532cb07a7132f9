// Host dashboard: REST calls go to the API (window.BELLHOP.apiUrl), the live stream to this origin.
(function () {
  const api = window.BELLHOP.apiUrl.replace(/\/$/, '');
  const $ = (id) => document.getElementById(id);
  const PAGE_SIZE = 20;
  // all | unread | high: which notifications the list shows; the server filters pages the same way.
  const FILTERS = { all: () => true, unread: (n) => !n.read, high: (n) => n.priority === 'high' };
  const FILTER_QUERY = { all: '', unread: '&unread_only=true', high: '&priority=high' };
  const items = new Map();
  let filter = 'all';
  let nextCursor = null;
  let connectedBefore = false;
  let session = JSON.parse(sessionStorage.getItem('bellhop.session') || 'null');
  let source = null;
  let retryTimer = null;

  function setStatus(text, cls) {
    $('status').textContent = text;
    $('status').className = `status ${cls}`;
  }

  async function call(method, path, body) {
    const res = await fetch(`${api}/api/v1/hosts/${encodeURIComponent(session.hostId)}${path}`, {
      method,
      headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(json.error?.message || `HTTP ${res.status}`);
    return json.data;
  }

  function render() {
    const list = $('notifications');
    const shown = [...items.values()].filter(FILTERS[filter]).sort((a, b) => (a.id < b.id ? 1 : -1));
    $('load-more').hidden = nextCursor === null;
    $('empty').hidden = shown.length > 0;
    list.replaceChildren(
      ...shown.map((n) => {
        const li = document.createElement('li');
        li.className = n.read ? 'read' : 'unread';
        li.dataset.id = n.id;
        const badge = Object.assign(document.createElement('span'), {
          className: `badge ${n.priority}`,
          textContent: n.priority,
        });
        const title = Object.assign(document.createElement('span'), { className: 'title', textContent: n.title });
        const button = Object.assign(document.createElement('button'), { textContent: 'Mark read', hidden: n.read });
        button.addEventListener('click', () => markRead(n.id));
        const message = Object.assign(document.createElement('span'), { className: 'message', textContent: n.message });
        const time = Object.assign(document.createElement('time'), {
          textContent: new Date(n.created_at).toLocaleString(),
        });
        li.append(badge, title, button, message, time);
        return li;
      }),
    );
  }

  function setCounts(counts) {
    $('unread').textContent = String(counts.unread);
  }
  const refreshCounts = () => call('GET', '/notifications/count').then(setCounts);

  const fetchPage = (cursor) =>
    call(
      'GET',
      `/notifications?limit=${PAGE_SIZE}${FILTER_QUERY[filter]}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );

  async function reload() {
    const page = await fetchPage(null);
    items.clear();
    for (const n of page.items) items.set(n.id, n);
    nextCursor = page.next_cursor;
    render();
    await refreshCounts();
  }

  async function loadMore() {
    const page = await fetchPage(nextCursor);
    for (const n of page.items) items.set(n.id, n);
    nextCursor = page.next_cursor;
    render();
  }

  function setFilter(name) {
    filter = name;
    for (const button of document.querySelectorAll('[data-filter]'))
      button.setAttribute('aria-pressed', String(button.dataset.filter === name));
    reload().catch(() => undefined);
  }

  async function markRead(id) {
    items.set(id, await call('PUT', `/notifications/${encodeURIComponent(id)}/read`));
    render();
    await refreshCounts();
  }

  async function markAllRead() {
    await call('PUT', '/notifications/read-all', {});
    for (const n of items.values()) n.read = true;
    render();
    await refreshCounts();
  }

  function connect() {
    clearTimeout(retryTimer);
    source?.close();
    setStatus('connecting…', 'reconnecting');
    // EventSource resends Last-Event-ID itself when it reconnects, so missed events are replayed.
    source = new EventSource(
      `/api/v1/hosts/${encodeURIComponent(session.hostId)}/events?access_token=${encodeURIComponent(session.token)}`,
    );
    source.addEventListener('open', () => setStatus('live', 'live'));
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) {
        setStatus('offline, retrying…', 'offline');
        retryTimer = setTimeout(connect, 3000);
      } else setStatus('reconnecting…', 'reconnecting');
    });
    // A resumed stream replays what was missed; a fresh one after an outage cannot, so the list is fetched again.
    source.addEventListener('connected', (e) => {
      if (connectedBefore && !JSON.parse(e.data).resumed) reload().catch(() => undefined);
      connectedBefore = true;
    });
    source.addEventListener('notification', (e) => {
      const n = JSON.parse(e.data);
      items.set(n.id, n);
      render();
    });
    source.addEventListener('counts', (e) => setCounts(JSON.parse(e.data)));
    source.addEventListener('resync', () => {
      reload().catch(() => undefined);
    });
    source.addEventListener('system_announcement', (e) => {
      const a = JSON.parse(e.data);
      $('announcement').textContent = a.message || a.title || '';
      $('announcement').hidden = false;
    });
  }

  async function start() {
    $('sign-in').hidden = true;
    $('board').hidden = false;
    $('sign-out').hidden = false;
    connect();
    await reload();
  }

  function signOut() {
    sessionStorage.removeItem('bellhop.session');
    source?.close();
    clearTimeout(retryTimer);
    session = null;
    items.clear();
    nextCursor = null;
    connectedBefore = false;
    render();
    $('sign-in').hidden = false;
    $('board').hidden = true;
    $('sign-out').hidden = true;
    setStatus('signed out', 'offline');
  }

  $('sign-in').addEventListener('submit', (e) => {
    e.preventDefault();
    const form = new FormData(e.target);
    session = { hostId: String(form.get('hostId')).trim(), token: String(form.get('token')).trim() };
    $('sign-in-error').textContent = '';
    call('GET', '/notifications/count').then(
      () => {
        sessionStorage.setItem('bellhop.session', JSON.stringify(session));
        return start();
      },
      (error) => {
        $('sign-in-error').textContent = `Sign-in failed: ${error.message}`;
        session = null;
      },
    );
  });
  $('read-all').addEventListener('click', () => markAllRead());
  $('load-more').addEventListener('click', () => {
    loadMore().catch(() => undefined);
  });
  for (const button of document.querySelectorAll('[data-filter]'))
    button.addEventListener('click', () => setFilter(button.dataset.filter));
  $('sign-out').addEventListener('click', signOut);
  if (session) start().catch(() => undefined);
})();
