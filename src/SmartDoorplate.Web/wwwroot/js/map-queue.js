// The grid officer's queue on the map (/api/police/queue): registrations unconfirmed past the
// landlord's deadline, rooms with more occupants than beds, tenants eligible for a 居住证, foreigners'
// stays to be registered with the police within 24 hours — each a
// marker at its building's entrance and an item of a paged list in the controls. Clicking either flies to
// the building and opens its panel. Text from the API goes in as textContent.
//
// Markers: a kind differs by shape as well as colour (a circle, a diamond, a triangle, a square — readable
// without colour vision, as in the legend), nudged apart so that a building with several items shows
// each. Near each other they are clustered into a numbered disc (a click zooms in), and above
// markersShownUpTo items they start hidden: hundreds of them would cover the buildings.
const kinds = {
  overdue_confirmation: { name: '逾期未确认', colour: '#e6550d', shape: 'circle', translate: [-5, 0] },
  overcrowded_room: { name: '超员', colour: '#7b3294', shape: 'diamond', translate: [5, -4] },
  residence_permit_eligible: { name: '可办居住证', colour: '#1a9641', shape: 'triangle', translate: [5, 4] },
  foreigner_stay: { name: '境外人员住宿', colour: '#0b5cab', shape: 'square', translate: [-5, -6] },
};

// Both from the page (Map/Index.cshtml.cs), which writes the legend with them.
const queueSection = document.getElementById('queue');
const markersShownUpTo = Number(queueSection.dataset.markersShownUpTo);
const clusterMaxZoom = Number(queueSection.dataset.clusterMaxZoom);
const markerSize = 16;
const clusterColour = '#263238';

// A canvas drawn at the screen's pixel ratio, handed to MapLibre as an image.
function drawImage(width, height, draw) {
  const ratio = Math.max(1, Math.ceil(window.devicePixelRatio || 1));
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * ratio);
  canvas.height = Math.ceil(height * ratio);
  const context = canvas.getContext('2d');
  context.scale(ratio, ratio);
  draw(context);
  return { image: context.getImageData(0, 0, canvas.width, canvas.height), pixelRatio: ratio };
}

function shapePath(context, shape, size) {
  const inset = 2;
  const [low, high, middle] = [inset, size - inset, size / 2];
  context.beginPath();
  if (shape === 'circle') context.arc(middle, middle, middle - inset, 0, 2 * Math.PI);
  if (shape === 'diamond') { context.moveTo(middle, low - 0.5); context.lineTo(high + 0.5, middle); context.lineTo(middle, high + 0.5); context.lineTo(low - 0.5, middle); }
  if (shape === 'triangle') { context.moveTo(middle, low); context.lineTo(high + 0.5, high); context.lineTo(low - 0.5, high); }
  if (shape === 'square') { context.rect(low + 0.5, low + 0.5, high - low - 1, high - low - 1); }
  context.closePath();
}

function markerImage(kind) {
  return drawImage(markerSize, markerSize, (context) => {
    shapePath(context, kind.shape, markerSize);
    context.fillStyle = kind.colour;
    context.fill();
    context.lineWidth = 1.5;
    context.strokeStyle = '#ffffff';
    context.stroke();
  });
}

// A cluster's disc with its count ("12", "1.2k"), made when the map first asks for that count.
function clusterImage(label) {
  const size = 24 + 6 * Math.max(0, label.length - 2);
  return drawImage(size, size, (context) => {
    context.beginPath();
    context.arc(size / 2, size / 2, size / 2 - 1.5, 0, 2 * Math.PI);
    context.fillStyle = clusterColour;
    context.fill();
    context.lineWidth = 2;
    context.strokeStyle = '#ffffff';
    context.stroke();
    context.fillStyle = '#ffffff';
    context.font = 'bold 12px system-ui, sans-serif';
    context.textAlign = 'center';
    context.textBaseline = 'middle';
    context.fillText(label, size / 2, size / 2 + 0.5);
  });
}

const clusterImagePrefix = 'queue-cluster-';

// A foreigner's 24-hour deadline as the station reads it, whatever the officer's phone is set to.
const guiyangTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
});

// The queue's source and layers, the "show markers" switch and the kind filters. setItems is given
// the whole queue; what is drawn follows the switch and the kinds ticked.
function queueMarkers({ map, section, openBuilding }) {
  const toggle = document.getElementById('queue-markers');
  const note = document.getElementById('queue-markers-note');
  let items = [];
  const pointer = (cursor) => () => { map.getCanvas().style.cursor = cursor; };

  map.addSource('queue', {
    type: 'geojson',
    data: { type: 'FeatureCollection', features: [] },
    cluster: true,
    clusterRadius: 40,
    clusterMaxZoom,
  });
  // The map's one resolver of missing images (MapLibre 6 awaits it; an event listener comes too late).
  map.setMissingStyleImageResolver((id) => {
    if (!id.startsWith(clusterImagePrefix) || map.hasImage(id)) return;
    const { image, pixelRatio } = clusterImage(id.slice(clusterImagePrefix.length));
    map.addImage(id, image, { pixelRatio });
  });
  map.addLayer({
    id: 'queue-clusters',
    type: 'symbol',
    source: 'queue',
    filter: ['has', 'point_count'],
    layout: {
      'icon-image': ['concat', clusterImagePrefix, ['to-string', ['get', 'point_count_abbreviated']]],
      'icon-allow-overlap': true,
      'icon-ignore-placement': true,
      visibility: 'none',
    },
  });
  map.on('click', 'queue-clusters', async (event) => {
    const feature = event.features?.[0];
    if (!feature) return;
    const zoom = await map.getSource('queue').getClusterExpansionZoom(feature.properties.cluster_id);
    map.easeTo({ center: feature.geometry.coordinates, zoom: Math.min(zoom, clusterMaxZoom + 1) });
  });
  map.on('mouseenter', 'queue-clusters', pointer('pointer'));
  map.on('mouseleave', 'queue-clusters', pointer(''));

  for (const [type, kind] of Object.entries(kinds)) {
    const id = `queue-${type}`;
    const { image, pixelRatio } = markerImage(kind);
    map.addImage(`${id}-icon`, image, { pixelRatio });
    map.addLayer({
      id,
      type: 'symbol',
      source: 'queue',
      filter: ['all', ['!', ['has', 'point_count']], ['==', ['get', 'type'], type]],
      layout: {
        'icon-image': `${id}-icon`,
        'icon-size': ['interpolate', ['linear'], ['zoom'], 12, 0.6, 17, 1],
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
        visibility: 'none',
      },
      paint: { 'icon-translate': kind.translate },
    });
    map.on('click', id, (event) => {
      const feature = event.features?.[0];
      if (feature) openBuilding(feature.properties.buildingId);
    });
    map.on('mouseenter', id, pointer('pointer'));
    map.on('mouseleave', id, pointer(''));
  }

  const shownKinds = () => new Set([...section.querySelectorAll('input[name=queue-kind]:checked')].map((input) => input.value));

  function refresh() {
    const shown = shownKinds();
    map.getSource('queue').setData({
      type: 'FeatureCollection',
      features: items.filter((item) => shown.has(item.type)).map((item, index) => ({
        type: 'Feature',
        id: index,
        geometry: { type: 'Point', coordinates: [item.lon, item.lat] },
        properties: { type: item.type, buildingId: item.buildingId },
      })),
    });
    map.setLayoutProperty('queue-clusters', 'visibility', toggle.checked ? 'visible' : 'none');
    for (const type of Object.keys(kinds)) {
      map.setLayoutProperty(`queue-${type}`, 'visibility', toggle.checked && shown.has(type) ? 'visible' : 'none');
    }
    section.dataset.markers = toggle.checked ? 'shown' : 'hidden';
  }

  toggle.addEventListener('change', refresh);
  for (const input of section.querySelectorAll('input[name=queue-kind]')) input.addEventListener('change', refresh);
  // Choosing an item in the list shows the markers, so that the one flown to is seen.
  document.getElementById('queue-list').addEventListener('click', (event) => {
    if (!event.target.closest('button') || toggle.checked) return;
    toggle.checked = true;
    refresh();
  });

  return {
    setItems(all) {
      items = all;
      toggle.checked = items.length <= markersShownUpTo;
      note.textContent = toggle.checked ? '' : `（共 ${items.length} 项，多于 ${markersShownUpTo} 项时默认隐藏）`;
      refresh();
    },
  };
}

export function setupQueue({ map, api, element, openBuilding, flyToBuilding, statusLine }) {
  const section = document.getElementById('queue');
  const list = document.getElementById('queue-list');
  const total = document.getElementById('queue-total');
  let items = [];

  const markers = queueMarkers({ map, section, openBuilding });

  const shownKinds = () => new Set([...section.querySelectorAll('input[name=queue-kind]:checked')].map((input) => input.value));

  function detail(item) {
    const room = item.room ? ` ${item.room} 室` : '';
    const beds = item.type === 'overcrowded_room' ? `，${item.occupants} 人 / ${item.beds} 床` : '';
    const due = item.dueBy ? `，须于 ${guiyangTime.format(new Date(item.dueBy))} 前核查` : '';
    return `${item.address}${room}${beds}${due}`;
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
      markers.setItems(items);
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
