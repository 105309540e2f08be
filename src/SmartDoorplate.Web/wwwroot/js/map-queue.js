// The grid officer's queue on the map (/api/police/queue): registrations unconfirmed past the
// landlord's deadline, rooms with more occupants than beds, tenants eligible for a 居住证 — each a
// marker at its building's entrance and an item of a list in the controls. Clicking either flies to
// the building and opens its panel. Text from the API goes in as textContent.
//
// Markers: a kind differs by shape as well as colour (a circle, a diamond, a triangle — readable
// without colour vision, as in the legend), nudged apart so that a building with several items shows
// each. Near each other they are clustered into a numbered disc (a click zooms in), and above
// markersShownUpTo items they start hidden: hundreds of them would cover the buildings.
const kinds = {
  overdue_confirmation: { name: '逾期未确认', colour: '#e6550d', shape: 'circle', translate: [-5, 0] },
  overcrowded_room: { name: '超员', colour: '#7b3294', shape: 'diamond', translate: [5, -4] },
  residence_permit_eligible: { name: '可办居住证', colour: '#1a9641', shape: 'triangle', translate: [5, 4] },
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
    return `${item.address}${room}${beds}`;
  }

  function renderList() {
    const shown = shownKinds();
    const visible = items.filter((item) => shown.has(item.type));
    list.replaceChildren(...(visible.length === 0 ? [element('li', '暂无待办')] : visible.map((item) => {
      const button = element('button');
      button.type = 'button';
      button.dataset.type = item.type;
      button.dataset.buildingId = String(item.buildingId);
      if (item.registrationId) button.dataset.registrationId = item.registrationId;
      const swatch = element('span', null, `swatch queue-${item.type}`);
      button.append(swatch, element('strong', kinds[item.type]?.name ?? item.title), ' ', detail(item), ' ',
        element('small', `自 ${item.since.slice(0, 10)}`));
      button.title = item.title;
      button.addEventListener('click', () => flyToBuilding(item.lon, item.lat, item.buildingId));
      const row = element('li');
      row.append(button);
      return row;
    })));
  }

  for (const input of section.querySelectorAll('input[name=queue-kind]')) input.addEventListener('change', renderList);

  (async () => {
    try {
      const queue = await api('/api/police/queue');
      items = queue.items;
      markers.setItems(items);
      for (const [type, count] of Object.entries(queue.counts)) {
        const label = section.querySelector(`[data-queue-count="${type}"]`);
        if (label) label.textContent = `（${count}）`;
      }
      total.textContent = `共 ${items.length} 项，确认期限 ${queue.deadlineDays} 天`;
      renderList();
      section.dataset.state = 'loaded';
    } catch (error) {
      section.dataset.state = 'failed';
      list.replaceChildren(element('li', error.status === 403 ? '待办队列仅限民警' : `待办队列加载失败：${error.message}`, 'error'));
      statusLine.textContent = '待办队列加载失败';
    }
  })();
}
