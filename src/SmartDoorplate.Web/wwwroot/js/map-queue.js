// The grid officer's queue on the map (/api/police/queue): registrations unconfirmed past the
// landlord's deadline, rooms with more occupants than beds, tenants eligible for a 居住证 — each a
// marker at its building's entrance, one circle layer per kind (colours as in the legend, nudged
// apart so that a building with several items shows each), and a paged list in the controls.
// Clicking either flies to the building and opens its panel. Text from the API goes in as textContent.
const kinds = {
  overdue_confirmation: { name: '逾期未确认', colour: '#e6550d', translate: [-5, 0] },
  overcrowded_room: { name: '超员', colour: '#7b3294', translate: [5, -4] },
  residence_permit_eligible: { name: '可办居住证', colour: '#1a9641', translate: [5, 4] },
};

export function setupQueue({ map, api, element, openBuilding, flyToBuilding, statusLine }) {
  const section = document.getElementById('queue');
  const list = document.getElementById('queue-list');
  const total = document.getElementById('queue-total');
  let items = [];

  map.addSource('queue', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  for (const [type, kind] of Object.entries(kinds)) {
    const id = `queue-${type}`;
    map.addLayer({
      id,
      type: 'circle',
      source: 'queue',
      filter: ['==', ['get', 'type'], type],
      paint: {
        'circle-color': kind.colour,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 3, 17, 7],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
        'circle-translate': kind.translate,
      },
    });
    map.on('click', id, (event) => {
      const feature = event.features?.[0];
      if (feature) openBuilding(feature.properties.buildingId);
    });
    map.on('mouseenter', id, () => { map.getCanvas().style.cursor = 'pointer'; });
    map.on('mouseleave', id, () => { map.getCanvas().style.cursor = ''; });
  }

  const shownKinds = () => new Set([...section.querySelectorAll('input[name=queue-kind]:checked')].map((input) => input.value));

  function detail(item) {
    const room = item.room ? ` ${item.room} 室` : '';
    const beds = item.type === 'overcrowded_room' ? `，${item.occupants} 人 / ${item.beds} 床` : '';
    return `${item.address}${room}${beds}`;
  }

  function itemButton(item) {
    const button = element('button');
    button.type = 'button';
    button.dataset.type = item.type;
    button.dataset.buildingId = String(item.buildingId);
    if (item.registrationId) button.dataset.registrationId = item.registrationId;
    const swatch = element('span', null, `swatch queue-${item.type}`);
    button.append(swatch, element('strong', kinds[item.type]?.name ?? item.title), ' ', detail(item), ' ',
      element('small', `自 ${item.since.slice(0, 10)} 起`));
    button.title = item.title;
    button.addEventListener('click', () => flyToBuilding(item.lon, item.lat, item.buildingId));
    const row = element('li');
    row.append(button);
    return row;
  }

  // The list: one group per ticked kind, each paged by the server (/api/police/queue/list) with the
  // kind's true total, so a queue of thousands is a few short pages, not a capped or endless list.
  const pages = {};
  const pageSize = 20;

  async function renderGroup(group, type) {
    const page = pages[type] ?? 1;
    const body = group.querySelector('ul');
    const pager = group.querySelector('.queue-pager');
    try {
      const result = await api(`/api/police/queue/list?type=${encodeURIComponent(type)}&page=${page}&pageSize=${pageSize}`);
      const pageCount = Math.max(1, Math.ceil(result.total / result.pageSize));
      group.querySelector('h3').textContent = `${kinds[type]?.name ?? type}（${result.total} 项）`;
      body.replaceChildren(...(result.items.length === 0 ? [element('li', '暂无待办')] : result.items.map(itemButton)));
      const previous = element('button', '上一页');
      previous.type = 'button';
      previous.disabled = page <= 1;
      previous.addEventListener('click', () => { pages[type] = page - 1; renderGroup(group, type); });
      const next = element('button', '下一页');
      next.type = 'button';
      next.disabled = page >= pageCount;
      next.dataset.next = type;
      next.addEventListener('click', () => { pages[type] = page + 1; renderGroup(group, type); });
      pager.replaceChildren(previous, element('span', `第 ${page} / ${pageCount} 页`), next);
      pager.hidden = pageCount <= 1;
      group.dataset.page = String(page);
      group.dataset.total = String(result.total);
    } catch (error) {
      body.replaceChildren(element('li', `加载失败：${error.message}`, 'error'));
    }
  }

  function renderList() {
    const shown = [...shownKinds()];
    if (shown.length === 0) {
      list.replaceChildren(element('li', '未选择待办类别'));
      return Promise.resolve();
    }
    const groups = shown.map((type) => {
      const group = element('li', null, 'queue-group');
      group.dataset.queueGroup = type;
      const pager = element('div', null, 'queue-pager');
      pager.hidden = true;
      group.append(element('h3', kinds[type]?.name ?? type), element('ul'), pager);
      return group;
    });
    list.replaceChildren(...groups);
    return Promise.all(groups.map((group) => renderGroup(group, group.dataset.queueGroup)));
  }

  for (const input of section.querySelectorAll('input[name=queue-kind]')) input.addEventListener('change', renderList);

  // The queue is a police officer's work list: an admin's map leaves it off (the page says so).
  if (section.dataset.state === 'off') {
    list.replaceChildren(element('li', '待办队列仅限民警 / The queue is for police officers', 'muted'));
    return;
  }
  (async () => {
    try {
      const queue = await api('/api/police/queue');
      items = queue.items;
      map.getSource('queue').setData({
        type: 'FeatureCollection',
        features: items.map((item, index) => ({
          type: 'Feature',
          id: index,
          geometry: { type: 'Point', coordinates: [item.lon, item.lat] },
          properties: { type: item.type, buildingId: item.buildingId },
        })),
      });
      for (const [type, count] of Object.entries(queue.counts)) {
        const label = section.querySelector(`[data-queue-count="${type}"]`);
        if (label) label.textContent = `（${count}）`;
      }
      // The true total; the map draws at most markerLimit of each kind, and says so.
      const queueTotal = queue.total ?? items.length;
      const capped = Object.values(queue.counts).some((count) => count > queue.markerLimit);
      total.textContent = `共 ${queueTotal} 项，房东确认期限 ${queue.deadlineDays} 天`
        + (capped ? `；地图上每类最多标出 ${queue.markerLimit} 项（最早的）` : '');
      section.dataset.total = String(queueTotal);
      await renderList();
      section.dataset.state = 'loaded';
    } catch (error) {
      section.dataset.state = 'failed';
      list.replaceChildren(element('li', error.status === 403 ? '待办队列仅限民警' : `待办队列加载失败：${error.message}`, 'error'));
      statusLine.textContent = '待办队列加载失败';
    }
  })();
}
