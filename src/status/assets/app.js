// The status page: reads the admin API every 2 s and renders it. Every value is inserted as text.
(() => {
  'use strict';
  const TOKEN_KEY = 'logsync.apiToken';
  const REFRESH_MS = 2000;
  const $ = (id) => document.getElementById(id);
  const busy = new Set();
  const rendered = {};
  let timer;
  let generation = 0;

  class Unauthorized extends Error {}

  /** An element with attributes, listeners (`on…`) and children; strings become text nodes. */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === 'class') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (value === true) node.setAttribute(key, '');
      else if (value !== false && value !== null && value !== undefined) node.setAttribute(key, String(value));
    }
    for (const child of children.flat(Infinity)) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, {
      method,
      headers,
      cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const payload = await res.json().catch(() => null);
    if (res.status === 401) throw new Unauthorized((payload && payload.message) || 'unauthorized');
    if (!res.ok) throw new Error(`${res.status} ${(payload && payload.message) || res.statusText}`);
    return payload;
  }

  const count = (n) => (typeof n === 'number' ? n.toLocaleString('en') : '–');
  const cssName = (text) =>
    String(text)
      .toLowerCase()
      .replace(/[^a-z-]/g, '');

  function ago(iso) {
    if (!iso) return 'never';
    const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
    const abs = Math.abs(s);
    const span = abs < 60 ? `${abs} s` : abs < 3600 ? `${Math.round(abs / 60)} min` : `${Math.round(abs / 3600)} h`;
    if (Math.abs(s) < 3) return 'just now';
    return s >= 0 ? `${span} ago` : `in ${span}`;
  }

  function notice(text, kind) {
    const box = $('notice');
    box.textContent = text;
    box.className = `notice ${kind || ''}`;
    box.hidden = false;
  }

  function showLogin(message) {
    clearTimeout(timer);
    $('dashboard').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = message || '';
    $('login-error').hidden = !message;
    $('updated').textContent = 'Waiting for the API token';
    $('token').focus();
  }

  /** Replaces a section's children only when what it shows changed, so focus and hover survive a refresh. */
  function renderInto(id, data, build) {
    const key = JSON.stringify([data, [...busy]]);
    if (rendered[id] === key) return;
    rendered[id] = key;
    $(id).replaceChildren(...[].concat(build(data)));
  }

  async function act(key, work) {
    if (busy.has(key)) return;
    busy.add(key);
    refresh();
    try {
      const [text, kind] = await work();
      notice(text, kind);
    } catch (error) {
      if (error instanceof Unauthorized) return showLogin('The token was refused.');
      notice(error.message, 'error');
    } finally {
      busy.delete(key);
      refresh();
    }
  }

  const syncNow = (peer) =>
    act(`sync:${peer}`, async () => {
      const {
        results: [r],
      } = await api('POST', '/admin/sync', { peers: [peer] });
      return r.ok
        ? [`Synced with ${peer}: pulled ${r.pulled}, pushed ${r.pushed}, conflicts ${r.conflicts}.`, 'ok']
        : [`Sync with ${peer} failed: ${r.error}`, 'error'];
    });
  const peerAction = (peer, verb) =>
    act(`${verb}:${peer}`, async () => {
      await api('POST', `/admin/peers/${encodeURIComponent(peer)}/${verb}`);
      return [`Peer ${peer}: ${verb}d.`, 'ok'];
    });
  const closeConflict = (record, verb, body, done) =>
    act(`conflict:${record.id}`, async () => {
      await api('POST', `/admin/conflicts/${encodeURIComponent(record.id)}/${verb}`, body);
      return [`Conflict on item ${record.itemId} ${done}.`, 'ok'];
    });

  function stateOf(peer) {
    if (peer.state) return peer.state;
    if (peer.paused) return 'paused';
    if (peer.progress || peer.running) return 'running';
    if (peer.lastResult) return peer.lastResult.ok ? 'ok' : 'failing';
    return 'idle';
  }

  function progressOf(peer) {
    const p = peer.progress || peer.running;
    if (!p) return null;
    const rate = typeof p.itemsPerSecond === 'number' ? ` · ${count(Math.round(p.itemsPerSecond))} items/s` : '';
    return el(
      'div',
      { class: 'progress' },
      el('progress', { max: Math.max(1, p.total || 0), value: p.done || 0, 'aria-label': `progress with ${peer.id}` }),
      el('span', null, `${p.phase || 'running'} · ${count(p.done)} / ${count(p.total)}${rate}`),
    );
  }

  function lastResultOf(peer) {
    const r = peer.lastResult;
    if (!r) return el('span', { class: 'muted' }, 'no sync yet');
    if (!r.ok) return el('span', { class: 'result-bad' }, `failed: ${r.error || 'unknown error'}`);
    const moved = `pulled ${count(r.pulled)} · pushed ${count(r.pushed)} · conflicts ${count(r.conflicts)}`;
    return el('span', { class: 'result-ok' }, `ok · ${moved}`);
  }

  function peerCard(peer) {
    const state = stateOf(peer);
    const facts = [
      ['Last result', lastResultOf(peer)],
      ['Last success', ago(peer.lastSuccessAt)],
    ];
    if (peer.backlog) facts.push(['Backlog', `${count(peer.backlog.push)} to push`]);
    if ('nextRunAt' in peer) facts.push(['Next run', peer.nextRunAt ? ago(peer.nextRunAt) : 'not scheduled']);
    if (peer.consecutiveFailures) facts.push(['Failures in a row', count(peer.consecutiveFailures)]);
    const syncing = busy.has(`sync:${peer.id}`);
    return el(
      'article',
      { class: 'peer', 'data-peer': peer.id },
      el(
        'div',
        { class: 'peer-head' },
        el('span', { class: 'peer-name' }, peer.id),
        el('span', { class: 'peer-url' }, peer.url || ''),
        el('span', { class: `badge badge-${cssName(state)}` }, state),
      ),
      el(
        'dl',
        { class: 'facts' },
        facts.map(([k, v]) => [el('dt', null, k), el('dd', null, v)]),
      ),
      progressOf(peer),
      el(
        'div',
        { class: 'actions' },
        el('button', { class: 'primary', disabled: syncing, onclick: () => syncNow(peer.id) }, syncing ? 'Syncing…' : 'Sync now'),
        jobButton(peer, 'pause', peer.paused === true),
        jobButton(peer, 'resume', peer.paused === false),
      ),
    );
  }

  /** Pause or resume: the one that cannot apply is disabled when the answer says whether the peer is paused. */
  function jobButton(peer, verb, inapplicable) {
    const disabled = inapplicable || busy.has(`${verb}:${peer.id}`);
    return el('button', { disabled, onclick: () => peerAction(peer.id, verb) }, verb === 'pause' ? 'Pause' : 'Resume');
  }

  function versionBox(version, role) {
    const body = version.deleted ? '(deleted)' : JSON.stringify(version.data, null, 2);
    return el(
      'div',
      { class: `version version-${role}` },
      el('span', { class: 'meta', title: version.fingerprint }, `by ${version.origin} · ${version.updatedAt}`),
      el('pre', null, body.length > 600 ? `${body.slice(0, 600)}…` : body),
    );
  }

  function conflictRow(record) {
    const disabled = busy.has(`conflict:${record.id}`);
    return el(
      'tr',
      { 'data-conflict': record.id },
      el(
        'td',
        null,
        el('div', { class: 'mono', title: record.itemId }, record.itemId.slice(0, 8)),
        el('div', { class: 'muted' }, `with ${record.peer}`),
        el('div', { class: 'muted', title: record.detectedAt }, ago(record.detectedAt)),
      ),
      el('td', null, versionBox(record.winner, 'winner')),
      el('td', null, versionBox(record.loser, 'loser')),
      el(
        'td',
        { class: 'actions-cell' },
        el(
          'div',
          { class: 'actions' },
          el(
            'button',
            { disabled, onclick: () => closeConflict(record, 'resolve', { pick: 'winner' }, 'resolved: winner kept') },
            'Keep winner',
          ),
          el(
            'button',
            { disabled, onclick: () => closeConflict(record, 'resolve', { pick: 'loser' }, 'resolved: loser kept') },
            'Keep loser',
          ),
          el(
            'button',
            { class: 'danger', disabled, onclick: () => closeConflict(record, 'dismiss', undefined, 'dismissed') },
            'Dismiss',
          ),
        ),
      ),
    );
  }

  function conflictTable(records) {
    if (records.length === 0) return el('div', { class: 'empty' }, 'No open conflicts.');
    return el(
      'table',
      null,
      el(
        'thead',
        null,
        el(
          'tr',
          null,
          el('th', null, 'Item'),
          el('th', { class: 'winner' }, 'Winner (kept now)'),
          el('th', { class: 'loser' }, 'Loser'),
          el('th'),
        ),
      ),
      el('tbody', null, records.map(conflictRow)),
    );
  }

  /** Only the latest of overlapping refreshes renders and schedules the next one. */
  async function refresh() {
    clearTimeout(timer);
    const mine = ++generation;
    try {
      const [node, peers, conflicts] = await Promise.all([
        api('GET', '/admin/node'),
        api('GET', '/admin/peers'),
        api('GET', '/admin/conflicts?status=open&limit=100'),
      ]);
      if (mine !== generation) return;
      $('login').hidden = true;
      $('dashboard').hidden = false;
      $('node-id').textContent = node.id;
      $('node-url').textContent = node.publicUrl || '';
      $('item-count').textContent = count(node.itemCount);
      $('peer-count').textContent = count(peers.peers.length);
      $('conflict-count').textContent = count(node.openConflicts);
      $('conflict-count').classList.toggle('attention', node.openConflicts > 0);
      const noPeers = () => el('div', { class: 'empty' }, 'No peers configured.');
      renderInto('peers', peers.peers, (list) => (list.length ? list.map(peerCard) : noPeers()));
      renderInto('conflicts', conflicts.conflicts, conflictTable);
      $('updated').textContent = `Updated ${new Date().toLocaleTimeString('en-GB')}`;
      $('updated').classList.remove('stale');
    } catch (error) {
      if (mine !== generation) return;
      if (error instanceof Unauthorized) {
        const had = sessionStorage.getItem(TOKEN_KEY);
        sessionStorage.removeItem(TOKEN_KEY);
        return showLogin(had ? 'That token was refused.' : '');
      }
      $('updated').textContent = `Cannot read the node: ${error.message}`;
      $('updated').classList.add('stale');
    }
    timer = setTimeout(refresh, REFRESH_MS);
  }

  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
    $('token').value = '';
    $('login-error').hidden = true;
    refresh();
  });
  refresh();
})();
