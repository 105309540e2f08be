// Watch-list alerts on the police map (布控预警, Policing/WatchListApi): a marker at the entrance of
// each building with an open alert and, in the controls, the list with the four-eyes steps — one
// officer proposes confirm or dismiss, a second one approves or sends it back. Its own module so that
// police-map.js only calls showWatchAlerts(map). Data is written with textContent only.
import { withRequestToken } from './request-token.js';

const statusNames = {
  raised: '待处理', proposed_confirm: '拟确认，待复核', proposed_dismiss: '拟排除，待复核', confirmed: '已确认', dismissed: '已排除',
};

async function call(url, options = {}) {
  const response = await fetch(url, {
    credentials: 'same-origin',
    ...options,
    headers: withRequestToken(options.method, { Accept: 'application/json', ...(options.body ? { 'Content-Type': 'application/json' } : {}) }),
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const fieldErrors = body?.errors ? Object.values(body.errors).flat() : [];
    throw new Error([body?.title ?? `HTTP ${response.status}`, ...fieldErrors].join(' '));
  }
  return body;
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function button(text, onClick, className = 'small') {
  const node = element('button', text, className);
  node.type = 'button';
  node.addEventListener('click', onClick);
  return node;
}

// Officers read times in Beijing time, whatever the browser's own zone.
const beijingTime = (instant) => new Date(instant).toLocaleString('zh-CN', {
  timeZone: 'Asia/Shanghai', hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
});

const asFeatures = (alerts) => ({
  type: 'FeatureCollection',
  features: alerts.map((a) => ({
    type: 'Feature',
    id: a.id,
    geometry: { type: 'Point', coordinates: [a.lon, a.lat] },
    properties: { id: a.id, status: a.status, address: a.address },
  })),
});

export function showWatchAlerts(map) {
  const section = document.getElementById('watch-alerts');
  if (!section) return;
  const list = document.getElementById('watch-alerts-list');
  const count = document.getElementById('watch-alerts-count');
  const errorLine = document.getElementById('watch-alerts-error');

  async function refresh() {
    try {
      const { alerts } = await call(section.dataset.url);
      map.getSource('watch-alerts')?.setData(asFeatures(alerts));
      count.textContent = String(alerts.length);
      section.dataset.alerts = String(alerts.length);
      list.replaceChildren(...(alerts.length === 0 ? [element('li', '本辖区暂无待处理的布控预警', 'muted')] : alerts.map(item)));
    } catch (error) {
      errorLine.textContent = `布控预警加载失败：${error.message}`;
    }
  }

  // One alert: where, which list entry, its state, and the step this officer may take.
  function item(alert) {
    const li = element('li', null, `watch-alert status-${alert.status}`);
    li.dataset.alertId = String(alert.id);
    const where = button(`${alert.address}${alert.room ? ` ${alert.room} 室` : ''}`, () => {
      map.flyTo({ center: [alert.lon, alert.lat], zoom: 17.5 });
    }, 'link watch-alert-place');
    li.append(where);
    li.append(element('p', `${statusNames[alert.status] ?? alert.status} · ${beijingTime(alert.raisedAt)}`, 'watch-alert-status'));
    if (alert.reference || alert.reason) li.append(element('p', [alert.reference, alert.reason].filter(Boolean).join(' · '), 'muted'));
    if (alert.proposedBy) li.append(element('p', `${alert.proposedBy}：${alert.proposalNote ?? ''}`, 'muted'));

    const person = element('p', null, 'watch-alert-person');
    li.append(button('查看人员（记入审计）', async () => {
      try {
        const detail = await call(`/api/watch-alerts/${alert.id}`);
        person.textContent = `${detail.person.name} ${detail.person.idNumber}`;
      } catch (error) {
        person.textContent = error.message;
      }
    }, 'link'), person);

    if (alert.canPropose || alert.canDecide) {
      const form = element('form', null, 'watch-alert-step');
      const note = element('input');
      note.name = 'note';
      note.required = true;
      note.minLength = 4;
      note.maxLength = 500;
      note.placeholder = alert.canPropose ? '处理意见（如：入户核实情况）' : '复核意见';
      note.setAttribute('aria-label', note.placeholder);
      const error = element('p', null, 'error');
      error.setAttribute('role', 'alert');
      const send = (path, body) => async () => {
        if (!note.reportValidity()) return;
        try {
          await call(`/api/watch-alerts/${alert.id}/${path}`, {
            method: 'POST', body: JSON.stringify({ ...body, note: note.value.trim(), version: alert.version }),
          });
          await refresh();
        } catch (failure) {
          error.textContent = failure.message;
        }
      };
      form.addEventListener('submit', (event) => event.preventDefault());
      form.append(note);
      if (alert.canPropose) {
        form.append(button('拟确认', send('propose', { decision: 'confirm' })), button('拟排除', send('propose', { decision: 'dismiss' })));
      } else {
        form.append(button('同意', send('decide', { approve: true })), button('退回', send('decide', { approve: false })));
      }
      form.append(error);
      li.append(form);
    } else if (alert.proposedBy) {
      li.append(element('p', '须由另一名民警复核（双人复核）', 'muted'));
    }
    return li;
  }

  function addLayer() {
    map.addSource('watch-alerts', { type: 'geojson', data: asFeatures([]) });
    map.addLayer({
      id: 'watch-alerts-points',
      type: 'circle',
      source: 'watch-alerts',
      paint: {
        'circle-radius': 9,
        'circle-color': ['match', ['get', 'status'], 'raised', '#d7191c', '#fdae61'],
        'circle-opacity': 0.85,
        'circle-stroke-width': 2,
        'circle-stroke-color': '#ffffff',
      },
    });
    const toggle = document.getElementById('layer-watch-alerts');
    if (toggle && !toggle.checked) map.setLayoutProperty('watch-alerts-points', 'visibility', 'none');
    map.on('click', 'watch-alerts-points', (event) => {
      const id = event.features?.[0]?.properties.id;
      const entry = list.querySelector(`[data-alert-id="${Number(id)}"]`);
      if (!entry) return;
      entry.scrollIntoView({ block: 'nearest' });
      entry.classList.add('selected');
      setTimeout(() => entry.classList.remove('selected'), 2000);
    });
    refresh();
  }

  if (map.isStyleLoaded()) addLayer();
  else map.once('load', addLayer);
}
