// The Port Manager dashboard: reads the server's JSON routes, and refreshes when /events reports a change.
// Everything is written with textContent: no value from the registry is ever parsed as HTML.
'use strict';

const state = { token: sessionStorage.getItem('portmanager.token') || '', timer: null };

function headers(extra) {
  const h = Object.assign({}, extra || {});
  if (state.token) {
    h.Authorization = 'Bearer ' + state.token;
  }
  return h;
}

async function api(path) {
  const response = await fetch(path, { headers: headers({ Accept: 'application/json' }) });
  if (response.status === 401 || response.status === 403) {
    document.getElementById('token').classList.add('shown');
    throw new Error('the server needs its token');
  }
  const body = await response.json();
  if (!response.ok) {
    throw new Error(body.message || ('HTTP ' + response.status));
  }
  return body;
}

function cell(row, text, cls) {
  const td = document.createElement('td');
  td.textContent = text === null || text === undefined ? '-' : String(text);
  if (cls) {
    td.className = cls;
  }
  row.appendChild(td);
  return td;
}

function pill(row, text) {
  const td = document.createElement('td');
  const span = document.createElement('span');
  span.className = 'pill ' + text;
  span.textContent = text.replace('_', ' ');
  td.appendChild(span);
  row.appendChild(td);
}

function fill(tbody, rows, empty, columns) {
  tbody.replaceChildren();
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = cell(tr, empty, 'empty');
    td.colSpan = columns;
    tbody.appendChild(tr);
  }
  rows.forEach(r => tbody.appendChild(r));
}

function renderServices(ports, sockets) {
  const listeners = new Map();
  sockets.forEach(s => listeners.set(s.port + '/' + s.protocol, s));
  const rows = ports.map(a => {
    const tr = document.createElement('tr');
    tr.dataset.service = a.project + '/' + a.service;
    cell(tr, a.project + '/' + a.service + (a.environment === 'default' ? '' : ' (' + a.environment + ')'));
    cell(tr, a.port + '/' + a.protocol, 'num');
    pill(tr, a.status);
    pill(tr, a.health_status);
    const s = listeners.get(a.port + '/tcp') || listeners.get(a.port + '/udp');
    const owner = a.owner ? 'pid ' + a.owner.pid : a.process_id ? 'pid ' + a.process_id : null;
    cell(tr, s && s.pid ? s.command + ' (pid ' + s.pid + ')' : owner ? owner + (s ? '' : ', not listening')
      : s ? 'a process this user cannot see' : 'nothing listens');
    cell(tr, a.last_health_check ? new Date(a.last_health_check).toLocaleString() : 'never');
    cell(tr, a.range);
    cell(tr, a.description);
    return tr;
  });
  fill(document.querySelector('#services tbody'), rows, 'no allocations', 8);
}

function renderRanges(ranges) {
  const rows = ranges.map(r => {
    const tr = document.createElement('tr');
    cell(tr, r.range);
    cell(tr, r.start + '-' + r.end, 'num');
    cell(tr, r.allocated + ' of ' + r.total + ' (' + r.utilization_percent + '%)' + (r.warning ? ' above 80%' : ''),
      r.warning ? 'warning' : '');
    const td = document.createElement('td');
    const bar = document.createElement('div');
    bar.className = 'bar' + (r.warning ? ' warn' : '');
    const fillDiv = document.createElement('div');
    fillDiv.style.width = Math.min(100, r.utilization_percent) + '%';
    bar.appendChild(fillDiv);
    td.appendChild(bar);
    tr.appendChild(td);
    return tr;
  });
  fill(document.querySelector('#ranges tbody'), rows, 'no ranges', 4);
}

function renderConflicts(conflicts, sawSockets) {
  const box = document.getElementById('conflicts');
  box.replaceChildren();
  if (conflicts.length === 0) {
    const p = document.createElement('div');
    p.className = 'empty';
    p.textContent = sawSockets === false ? 'none seen (no socket table)' : 'no conflicts';
    box.appendChild(p);
  }
  conflicts.forEach(c => {
    const div = document.createElement('div');
    div.className = 'conflict';
    const msg = document.createElement('div');
    msg.className = 'msg';
    msg.textContent = c.message;
    const fix = document.createElement('div');
    fix.className = 'fix';
    fix.textContent = 'Resolution: ' + c.suggestion;
    div.append(msg, fix);
    box.appendChild(div);
  });
}

function renderHistory(entries) {
  const rows = entries.slice().reverse().map(e => {
    const tr = document.createElement('tr');
    cell(tr, new Date(e.at).toLocaleTimeString());
    cell(tr, e.action);
    cell(tr, e.port + '/' + e.protocol, 'num');
    cell(tr, e.project + '/' + e.service);
    return tr;
  });
  fill(document.querySelector('#history tbody'), rows, 'no history yet', 4);
}

async function refresh() {
  try {
    const [status, ports, history, audit, sockets] = await Promise.all([
      api('/status'), api('/ports'), api('/history?limit=15'),
      api('/audit').catch(() => null), api('/scan').catch(() => [])]);
    document.getElementById('store').textContent = status.store + ' on ' + status.host;
    renderServices(ports, sockets);
    renderRanges(audit ? audit.ranges : status.ranges);
    renderConflicts(audit ? audit.conflicts : [], audit ? audit.saw_sockets : false);
    renderHistory(history);
    document.getElementById('error').textContent = '';
  } catch (e) {
    document.getElementById('error').textContent = e.message;
  }
}

function soon() {
  clearTimeout(state.timer);
  state.timer = setTimeout(refresh, 150);
}

function live(text, cls) {
  const el = document.getElementById('live');
  el.textContent = text;
  el.className = cls;
}

function feed(event) {
  const li = document.createElement('li');
  li.textContent = new Date(event.at).toLocaleTimeString() + ' ' + event.event + ' ' + event.port + '/'
    + event.protocol + (event.project ? ' ' + event.project + '/' + event.service : '')
    + (event.detail ? ': ' + event.detail : '');
  const list = document.getElementById('feed');
  list.prepend(li);
  while (list.children.length > 30) {
    list.lastChild.remove();
  }
}

// Server-sent events read through fetch, so that the token can go in a header (EventSource cannot send one).
async function listen() {
  try {
    const response = await fetch('/events', { headers: headers({ Accept: 'text/event-stream' }) });
    if (!response.ok) {
      throw new Error('HTTP ' + response.status);
    }
    live('live', 'on');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        break;
      }
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').filter(l => l.startsWith('data:')).map(l => l.slice(5).trim()).join('\n');
        if (data) {
          feed(JSON.parse(data));
          soon();
        }
      }
    }
  } catch (e) {
    // Falls through to the retry below.
  }
  live('reconnecting', 'off');
  setTimeout(listen, 2000);
}

document.getElementById('token').addEventListener('submit', event => {
  event.preventDefault();
  state.token = document.getElementById('token-value').value.trim();
  sessionStorage.setItem('portmanager.token', state.token);
  document.getElementById('token').classList.remove('shown');
  refresh();
});

refresh();
listen();
setInterval(refresh, 30000);
