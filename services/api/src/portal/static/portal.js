// Agent portal. Every call goes to /portal/api/…: the API itself, acting as the API key that opened
// the session (same scopes, same isolation); the session cookie rides along, writes add X-CSRF-Token.
(function () {
  const $ = (id) => document.getElementById(id);
  const REFRESH_MS = 2000;
  let session = null;
  let selected = null;
  let editing = null;
  let refreshTimer = null;

  function el(tag, props, ...children) {
    const node = Object.assign(document.createElement(tag), props || {});
    node.append(...children.filter((c) => c !== null && c !== undefined));
    return node;
  }
  const when = (iso) => (iso ? new Date(iso).toLocaleString() : '–');
  const badge = (text, cls) => el('span', { className: `badge ${cls || text}`, textContent: text });

  function problemOf(json, status) {
    const error = json && json.error;
    if (!error) return `HTTP ${status}`;
    const fields = (Array.isArray(error.details) ? error.details : []).map((d) => `${d.field}: ${d.message}`);
    return fields.length ? `${error.message} (${fields.join('; ')})` : error.message;
  }

  async function send(method, url, body) {
    const headers = { 'X-CSRF-Token': session ? session.csrf_token : '' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json().catch(() => ({}));
    return { res, json };
  }

  async function api(method, path, body) {
    const { res, json } = await send(method, `/portal/api/v1/external${path}`, body);
    if (res.status === 401) {
      signedOut('Your session ended: sign in again.');
      throw new Error('signed out');
    }
    if (!res.ok) throw new Error(problemOf(json, res.status));
    return json.data;
  }

  function notify(text) {
    $('notice').textContent = text;
    $('notice').hidden = !text;
    $('error').textContent = '';
  }
  function fail(error) {
    if (error.message !== 'signed out') {
      $('error').textContent = error.message;
      $('notice').hidden = true;
    }
  }
  const guarded =
    (fn) =>
    (...args) =>
      Promise.resolve()
        .then(() => fn(...args))
        .catch(fail);

  // ---- session ----
  function signedIn(data) {
    session = data;
    $('who').textContent =
      `${data.agent.name} (${data.agent.kind}) · key ${data.key.name} · until ${new Date(data.expires_at).toLocaleTimeString()}`;
    $('sign-in').hidden = true;
    $('portal').hidden = false;
    $('sign-out').hidden = false;
    showView('subscriptions');
  }

  function signedOut(message) {
    session = null;
    selected = null;
    clearInterval(refreshTimer);
    $('portal').hidden = true;
    $('sign-out').hidden = true;
    $('sign-in').hidden = false;
    $('who').textContent = '';
    $('sign-in-error').textContent = message || '';
  }

  async function start() {
    const linkToken = new URLSearchParams(location.hash.slice(1)).get('token');
    if (linkToken) history.replaceState(null, '', location.pathname); // the link works once: keep it out of history
    const { res, json } = linkToken
      ? await send('POST', '/portal/session', { link_token: linkToken })
      : await send('GET', '/portal/session');
    if (res.ok) signedIn(json.data);
    else signedOut(linkToken ? problemOf(json, res.status) : '');
  }

  $('sign-in').addEventListener(
    'submit',
    guarded(async (e) => {
      e.preventDefault();
      const apiKey = String(new FormData(e.target).get('api_key')).trim();
      const { res, json } = await send('POST', '/portal/session', { api_key: apiKey });
      if (!res.ok) {
        $('sign-in-error').textContent = `Sign-in failed: ${problemOf(json, res.status)}`;
        return;
      }
      e.target.reset();
      signedIn(json.data);
    }),
  );
  $('sign-out').addEventListener(
    'click',
    guarded(async () => {
      await send('DELETE', '/portal/session');
      signedOut('Signed out.');
    }),
  );

  // ---- views ----
  function showView(name) {
    for (const tab of document.querySelectorAll('.tab')) tab.classList.toggle('active', tab.dataset.view === name);
    $('view-subscriptions').hidden = name !== 'subscriptions';
    $('view-catalog').hidden = name !== 'catalog';
    if (name === 'catalog') loadCatalog().catch(fail);
    else loadSubscriptions().catch(fail);
  }
  for (const tab of document.querySelectorAll('.tab')) tab.addEventListener('click', () => showView(tab.dataset.view));

  // ---- subscriptions ----
  async function loadSubscriptions() {
    const items = [];
    let cursor = null;
    do {
      const page = await api(
        'GET',
        `/webhook-subscriptions?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      items.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    $('subscriptions').replaceChildren(
      ...items.map((s) => {
        const row = el(
          'tr',
          { className: 'row' },
          el('td', { textContent: s.agent_name }),
          el('td', { className: 'url', textContent: s.webhook_url || 'pull: read by the agent' }),
          el('td', { textContent: s.events.join(', ') }),
          el('td', {}, badge(s.is_active ? 'active' : 'disabled')),
        );
        row.dataset.id = s.id;
        row.addEventListener('click', () => openSubscription(s.id).catch(fail));
        return row;
      }),
    );
    if (items.length === 0)
      $('subscriptions').append(
        el('tr', {}, el('td', { colSpan: 4, className: 'muted', textContent: 'No subscriptions yet.' })),
      );
  }

  function openEditor(sub) {
    editing = sub;
    const form = $('editor');
    form.reset();
    $('editor-title').textContent = sub ? `Edit ${sub.agent_name}` : 'New subscription';
    // A pull subscription has no URL (and never gets one): the field is left out of its edits.
    const pull = sub && sub.delivery === 'pull';
    form.webhook_url.disabled = pull;
    form.webhook_url.required = !pull;
    if (sub) {
      form.agent_name.value = sub.agent_name;
      form.webhook_url.value = sub.webhook_url || '';
      form.events.value = sub.events.join(', ');
      form.description.value = sub.description || '';
      form.signature_scheme.value = sub.signature_scheme;
    }
    form.hidden = false;
    form.agent_name.focus();
  }
  $('new-subscription').addEventListener('click', () => openEditor(null));
  $('editor-cancel').addEventListener('click', () => {
    $('editor').hidden = true;
  });
  $('edit').addEventListener('click', () => openEditor(selected));

  $('editor').addEventListener(
    'submit',
    guarded(async (e) => {
      e.preventDefault();
      const form = e.target;
      const body = {
        agent_name: form.agent_name.value.trim(),
        ...(form.webhook_url.disabled ? {} : { webhook_url: form.webhook_url.value.trim() }),
        events: form.events.value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        signature_scheme: form.signature_scheme.value,
      };
      const description = form.description.value.trim();
      if (description || editing) body.description = description || null; // clearing it on an edit removes it
      const saved = editing
        ? await api('PATCH', `/webhook-subscriptions/${encodeURIComponent(editing.id)}`, body)
        : await api('POST', '/webhook-subscriptions', body);
      form.hidden = true;
      if (!editing) showSecret(saved.secret);
      notify(editing ? 'Subscription saved.' : 'Subscription created.');
      await loadSubscriptions();
      await openSubscription(saved.id);
    }),
  );

  function showSecret(secret) {
    $('secret-value').textContent = secret;
    $('secret').hidden = false;
  }
  $('secret-done').addEventListener('click', () => {
    $('secret-value').textContent = '';
    $('secret').hidden = true;
  });

  async function openSubscription(id) {
    selected = await api('GET', `/webhook-subscriptions/${encodeURIComponent(id)}`);
    $('detail').hidden = false;
    $('recover').since.value = new Date(Date.now() - 3600_000 - new Date().getTimezoneOffset() * 60_000)
      .toISOString()
      .slice(0, 16);
    renderSubscription();
    await refreshDetail();
    clearInterval(refreshTimer);
    refreshTimer = setInterval(() => {
      if (selected && !document.hidden) refreshDetail().catch(fail);
    }, REFRESH_MS);
  }

  function renderSubscription() {
    const s = selected;
    $('detail-name').textContent = s.agent_name;
    $('detail-state').replaceWith(Object.assign(badge(s.is_active ? 'active' : 'disabled'), { id: 'detail-state' }));
    const meta = [
      ['Id', s.id],
      ['Delivery', s.delivery === 'pull' ? 'pull (the agent reads GET …/messages or the agent stream)' : 'push'],
      ['URL', s.webhook_url || '–'],
      ['Events', s.events.join(', ')],
      ['Signature', s.signature_scheme],
      ['Description', s.description || '–'],
      ['Last success', when(s.last_successful_call)],
      ['Failures in a row', String(s.failed_attempts)],
    ];
    if (!s.is_active) meta.push(['Disabled', `${when(s.disabled_at)}: ${s.disabled_reason || ''}`]);
    $('detail-meta').replaceChildren(
      ...meta.flatMap(([k, v]) => [el('dt', { textContent: k }), el('dd', { textContent: v })]),
    );
    $('toggle').textContent = s.is_active ? 'Disable' : 'Enable';
  }

  const subPath = (suffix) => `/webhook-subscriptions/${encodeURIComponent(selected.id)}${suffix || ''}`;
  $('toggle').addEventListener(
    'click',
    guarded(async () => {
      if (selected.is_active) await api('PATCH', subPath(), { is_active: false });
      else await api('POST', subPath('/enable'));
      notify(
        selected.is_active ? 'Subscription disabled: nothing is sent until you enable it.' : 'Subscription enabled.',
      );
      await loadSubscriptions();
      await openSubscription(selected.id);
    }),
  );
  $('send-test').addEventListener(
    'click',
    guarded(async () => {
      const sent = await api('POST', '/webhooks/test', { subscription_id: selected.id });
      notify(`Test event ${sent.event_id} queued as delivery ${sent.delivery_id}.`);
      await refreshDetail();
    }),
  );
  $('rotate').addEventListener(
    'click',
    guarded(async () => {
      if (!confirm('Rotate the signing secret? The old one keeps signing during the overlap.')) return;
      const rotated = await api('POST', subPath('/rotate-secret'));
      showSecret(rotated.secret);
      notify(`Secret rotated; the previous one keeps signing until ${when(rotated.previous_secret_expires_at)}.`);
    }),
  );
  $('delete').addEventListener(
    'click',
    guarded(async () => {
      if (!confirm(`Delete ${selected.agent_name}? Its pending deliveries are cancelled.`)) return;
      const gone = await api('DELETE', subPath());
      notify(`Deleted; ${gone.cancelled_deliveries} pending deliveries cancelled.`);
      selected = null;
      clearInterval(refreshTimer);
      $('detail').hidden = true;
      await loadSubscriptions();
    }),
  );
  $('recover').addEventListener(
    'submit',
    guarded(async (e) => {
      e.preventDefault();
      const recovery = await api('POST', subPath('/recover'), { since: new Date(e.target.since.value).toISOString() });
      notify(
        `Recovery ${recovery.recovery_id} queued: failed and cancelled deliveries since ${when(recovery.since)} are sent again.`,
      );
    }),
  );
  $('status-filter').addEventListener('change', () => refreshDetail().catch(fail));

  async function refreshDetail() {
    const filter = $('status-filter').value;
    const [sub, stats, page] = await Promise.all([
      api('GET', subPath()),
      api('GET', subPath('/stats')),
      api('GET', subPath(`/deliveries?limit=50${filter ? `&status=${filter}` : ''}`)),
    ]);
    if (!selected || sub.id !== selected.id) return; // another subscription was opened meanwhile
    selected = sub;
    renderSubscription();
    renderStats(stats);
    renderDeliveries(page.items);
  }

  // ---- delivery log ----
  const expanded = new Set();
  function renderDeliveries(items) {
    const rows = [];
    for (const d of items) {
      const row = el(
        'tr',
        { className: 'row' },
        el('td', { textContent: when(d.created_at) }),
        el('td', { textContent: d.event_type }),
        el('td', {}, badge(d.status)),
        el('td', { textContent: String(d.attempts) }),
        el('td', { textContent: d.last_status_code === null ? d.last_error || '–' : String(d.last_status_code) }),
        el(
          'td',
          {},
          ['failed', 'cancelled'].includes(d.status)
            ? el('button', {
                textContent: 'Retry',
                onclick: guarded(async (e) => {
                  e.stopPropagation();
                  await retry(d.id);
                }),
              })
            : null,
        ),
      );
      row.dataset.id = d.id;
      row.addEventListener('click', () => {
        if (expanded.has(d.id)) expanded.delete(d.id);
        else expanded.add(d.id);
        refreshDetail().catch(fail);
      });
      rows.push(row);
      if (expanded.has(d.id))
        rows.push(
          el(
            'tr',
            { className: 'attempts' },
            el('td', { colSpan: 6 }, el('span', { className: 'muted', textContent: 'Loading attempts…' })),
          ),
        );
    }
    $('deliveries').replaceChildren(...rows);
    if (items.length === 0)
      $('deliveries').append(el('tr', {}, el('td', { colSpan: 6, className: 'muted', textContent: 'No deliveries.' })));
    for (const d of items) if (expanded.has(d.id)) showAttempts(d.id).catch(fail);
  }

  async function showAttempts(id) {
    const detail = await api('GET', `/deliveries/${encodeURIComponent(id)}`);
    const row = $('deliveries').querySelector(`tr[data-id="${CSS.escape(id)}"]`);
    const cell = row && row.nextElementSibling && row.nextElementSibling.firstChild;
    if (!cell) return;
    const table = el(
      'table',
      {},
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ...['#', 'Started', 'Code', 'Duration', 'Response', 'Error'].map((h) => el('th', { textContent: h })),
        ),
      ),
      el(
        'tbody',
        {},
        ...detail.attempt_log.map((a) =>
          el(
            'tr',
            {},
            el('td', { textContent: String(a.number) }),
            el('td', { textContent: when(a.started_at) }),
            el('td', { textContent: a.status_code === null ? '–' : String(a.status_code) }),
            el('td', { textContent: `${a.duration_ms} ms` }),
            el('td', {}, el('code', { textContent: a.response_excerpt || '' })),
            el('td', { textContent: a.error || '' }),
          ),
        ),
      ),
    );
    cell.replaceChildren(
      detail.attempt_log.length ? table : el('span', { className: 'muted', textContent: 'No attempt yet.' }),
    );
  }

  async function retry(id) {
    await api('POST', `/deliveries/${encodeURIComponent(id)}/retry`);
    notify('Delivery queued again.');
    await refreshDetail();
  }

  // ---- 24 h chart ----
  const SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function renderStats(s) {
    const width = 420;
    const chart = svg('svg', {
      width,
      height: 112,
      viewBox: `0 0 ${width} 112`,
      role: 'img',
      'aria-label': 'Success rate and latency over 24 hours',
    });
    const rate = s.success_rate;
    const bar = width - 130;
    chart.append(
      svg('text', { x: 0, y: 14 }, `Success ${rate === null ? '–' : `${(rate * 100).toFixed(1)} %`}`),
      svg('rect', { x: 120, y: 4, width: bar, height: 14, fill: rate === null ? '#e5e7eb' : '#fecaca' }),
    );
    if (rate !== null)
      chart.append(svg('rect', { x: 120, y: 4, width: Math.round(bar * rate), height: 14, fill: '#15803d' }));
    const top = Math.max(s.latency_p95_ms || 0, s.latency_p50_ms || 0, 1);
    [
      ['p50', s.latency_p50_ms, '#2563eb'],
      ['p95', s.latency_p95_ms, '#7c3aed'],
    ].forEach(([label, ms, color], i) => {
      const y = 36 + i * 24;
      chart.append(
        svg('text', { x: 0, y: y + 10 }, `${label} ${ms === null ? '–' : `${Math.round(ms)} ms`}`),
        svg('rect', {
          x: 120,
          y,
          width: ms === null ? 0 : Math.max(2, Math.round((bar * ms) / top)),
          height: 14,
          fill: color,
        }),
      );
    });
    const c = s.counts;
    chart.append(
      svg(
        'text',
        { x: 0, y: 104 },
        `${c.succeeded} succeeded · ${c.failed} failed · ${c.pending} pending · ${c.cancelled} cancelled`,
      ),
    );
    $('stats').replaceChildren(chart);
  }

  // ---- event catalog ----
  function exampleOf(schema, key) {
    if (!schema || typeof schema !== 'object') return null;
    if (schema.type === 'object') {
      const out = {};
      for (const [name, sub] of Object.entries(schema.properties || {})) out[name] = exampleOf(sub, name);
      return out;
    }
    if (schema.type === 'array') return [exampleOf(schema.items, key)];
    if (schema.type === 'number' || schema.type === 'integer') return key === 'rating' ? 5 : 120;
    if (schema.type === 'boolean') return true;
    if (schema.format === 'date') return '2026-12-24';
    if (schema.format === 'date-time') return '2026-12-01T10:00:00.000Z';
    if (key && key.endsWith('_id')) return `${key.slice(0, -3)}_01JD0T3Q8M2W`;
    if (key === 'currency') return 'EUR';
    return `example ${key || 'value'}`;
  }
  async function loadCatalog() {
    const { items } = await api('GET', '/event-types');
    $('catalog').replaceChildren(
      ...items.map((t) => {
        const example = {
          id: 'evt_01JD0T3Q7Z1K',
          type: t.name,
          event_type: t.name,
          timestamp: '2026-12-01T10:00:00.000Z',
          booking_id: null,
          property_id: null,
          host_id: 'hst_01JD0S6Y1ZK3',
          data: exampleOf(t.schema),
        };
        return el(
          'details',
          {},
          el('summary', {}, el('code', { textContent: t.name }), ` — ${t.description}`),
          el('h4', { textContent: 'Schema of data' }),
          el('pre', { textContent: JSON.stringify(t.schema, null, 2) }),
          el('h4', { textContent: 'Example payload' }),
          el('pre', { textContent: JSON.stringify(example, null, 2) }),
        );
      }),
    );
  }

  start().catch((error) => signedOut(error.message));
})();
