// The police map (/police/map). An ES module loaded by the page: CSP allows no inline script.
// MapLibre comes from the app itself (/lib/maplibre-gl/VERSION, npm; the page names the URL), the
// style and tiles from /api/map. Data from the API is written with textContent only, never as HTML.
import { setupHotspots } from './map-hotspots.js';
import { setupQueue } from './map-queue.js';
import { showWatchAlerts } from './watch-alerts.js';
import { withRequestToken } from './request-token.js';
import { mapLocale, rovingList, setupPanelFocus, setupSkipLink } from './map-a11y.js';

const shell = document.getElementById('map-shell');
// Imported by the URL the page gives (versioned, so cached for a year), and while the style loads.
const mapLibrary = import(shell.dataset.maplibre);
const statusLine = document.getElementById('map-status');
const caseForm = document.getElementById('case-filter');
const panel = document.getElementById('panel');
const statusNames = { submitted: '待确认', confirmed: '已确认', verified: '已核验', rejected: '未通过', ended: '已退租' };
const caseStatusNames = { open: '未破', solved: '已破', closed: '已结' };

class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

async function api(url, options = {}) {
  const response = await fetch(url, {
    credentials: 'same-origin',
    ...options,
    headers: withRequestToken(options.method, { Accept: 'application/json', ...(options.body ? { 'Content-Type': 'application/json' } : {}) }),
  });
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
  return response.json();
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function fillFacts(list, pairs) {
  list.replaceChildren(...pairs.flatMap(([term, value]) => {
    const dd = value instanceof Node ? element('dd') : element('dd', value ?? '—');
    if (value instanceof Node) dd.append(value);
    return [element('dt', term), dd];
  }));
}

// The landlord's phone: a number to call when shown in full (the station's police), text when masked.
function phoneFact(phone) {
  if (!phone || !/^[0-9]{11}$/.test(phone)) return phone;
  const link = element('a', phone);
  link.href = `tel:${phone}`;
  return link;
}

// The cases source is reloaded with the filter as query parameters (from, to, types).
function caseQuery() {
  const data = new FormData(caseForm);
  const query = new URLSearchParams();
  for (const name of ['from', 'to']) {
    if (data.get(name)) query.set(name, data.get(name));
  }
  const types = data.getAll('types');
  const allTypes = caseForm.querySelectorAll('input[name=types]').length;
  if (types.length > 0 && types.length < allTypes) query.set('types', types.join(','));
  // `types`: every ticked type, spelled out. The case tiles read "no types" as all of them, but
  // the hot-spot API reads it as its default (robbery and theft), so the hot spots send these.
  return { query: query.toString(), none: types.length === 0, types };
}

const withQuery = (template, query) => (query ? `${template}?${query}` : template);

// Chinese characters of labels drawn with the device's own CJK font (every officer's phone has one;
// the app's glyph ranges of ideographs are ~230 KB each), unless the style says to use the app's glyphs.
function localIdeographFontFamily(mapStyle) {
  if (mapStyle.metadata?.['smartdoorplate:localIdeographs'] === false) return false;
  return "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'Noto Sans SC', sans-serif";
}

const style = await api(shell.dataset.styleUrl);
const casesTemplate = style.sources.cases.tiles[0];
style.sources.cases.tiles = [withQuery(casesTemplate, caseQuery().query)];

const { Map, NavigationControl, ScaleControl } = await mapLibrary;
const map = new Map({
  container: 'map',
  style,
  localIdeographFontFamily: localIdeographFontFamily(style),
  locale: mapLocale(),
  attributionControl: false,
  dragRotate: false,
  pitchWithRotate: false,
  touchPitch: false,
});
map.touchZoomRotate.disableRotation();
map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
const bounds = style.metadata?.['smartdoorplate:bounds'];
if (bounds) map.fitBounds([[bounds[0], bounds[1]], [bounds[2], bounds[3]]], { padding: 24, duration: 0 });
// A handle for support staff's console and the browser tests; it exposes nothing the page's own
// requests do not already return.
window.smartDoorplateMap = map;
setupSkipLink(map, document.getElementById('skip-to-map'));
setupPanelFocus({ map, panel, closeButton: document.getElementById('panel-close') });
for (const id of ['queue-list', 'search-results', 'hot-buildings']) rovingList(document.getElementById(id));
showWatchAlerts(map);

map.on('load', () => {
  // Features in modules of their own (hot spots, the officer's queue), given what they share.
  const context = { map, style, api, element, caseQuery, withQuery, openBuilding, flyToBuilding, statusLine, shell };
  setupHotspots(context);
  setupQueue(context);
  shell.dataset.state = 'loaded';
  statusLine.textContent = '';
  for (const toggle of document.querySelectorAll('input[data-layers]')) applyToggle(toggle);
});

map.on('error', (event) => {
  statusLine.textContent = '部分地图数据加载失败，请刷新';
  console.warn(event.error);
});

function applyToggle(toggle) {
  for (const id of toggle.dataset.layers.split(',')) {
    if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', toggle.checked ? 'visible' : 'none');
  }
}
for (const toggle of document.querySelectorAll('input[data-layers]')) {
  toggle.addEventListener('change', () => applyToggle(toggle));
}

caseForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const { query, none } = caseQuery();
  const casesToggle = document.getElementById('layer-cases');
  casesToggle.checked = !none;
  applyToggle(casesToggle);
  map.getSource('cases').setTiles([withQuery(casesTemplate, query)]);
});

document.getElementById('controls-toggle').addEventListener('click', (event) => {
  const open = shell.classList.toggle('controls-open');
  event.currentTarget.setAttribute('aria-expanded', String(open));
});

// Building panel
map.on('click', 'buildings-fill', (event) => {
  const feature = event.features?.[0];
  if (feature) openBuilding(feature.properties.id);
});
map.on('mouseenter', 'buildings-fill', () => { map.getCanvas().style.cursor = 'pointer'; });
map.on('mouseleave', 'buildings-fill', () => { map.getCanvas().style.cursor = ''; });
document.getElementById('panel-close').addEventListener('click', closePanel);

function closePanel() {
  panel.hidden = true;
  delete panel.dataset.buildingId;
  map.setFilter('buildings-selected', ['==', ['get', 'id'], -1]);
}

async function openBuilding(id) {
  let building;
  try {
    building = await api(`/api/map/buildings/${encodeURIComponent(id)}`);
  } catch (error) {
    statusLine.textContent = error.status === 404 ? '该楼栋不在您的辖区' : '楼栋信息加载失败';
    return;
  }
  map.setFilter('buildings-selected', ['==', ['get', 'id'], building.id]);
  document.getElementById('panel-title').textContent = building.address;
  fillFacts(document.getElementById('panel-facts'), [
    ['楼栋编号', building.code],
    ['门牌码', building.doorplateCode],
    ['网格', `${building.gridName}（${building.gridCode}）`],
    ['房东', building.landlord],
    ['房东电话', building.landlord ? phoneFact(building.landlordPhone) : null],
    ['楼层', building.floors],
    ['在住人数', building.residents],
    ['其中流动人口', building.floating],
  ]);
  fillFacts(document.getElementById('panel-occupants'),
    Object.entries(statusNames).map(([code, name]) => [name, building.occupants[code]]));
  const cases = document.getElementById('panel-cases');
  cases.replaceChildren(...(building.recentCases.length === 0
    ? [element('li', '无')]
    : building.recentCases.map((c) => element('li',
      `${c.occurredAt.slice(0, 10)} ${c.typeName}（${caseStatusNames[c.status] ?? c.status}，${c.distanceMetres} 米）`))));
  document.getElementById('residents-table').hidden = true;
  document.getElementById('residents-error').textContent = '';
  panel.dataset.buildingId = String(building.id);
  panel.hidden = false;
}

document.getElementById('residents-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const purpose = document.getElementById('residents-purpose').value.trim();
  const errorLine = document.getElementById('residents-error');
  errorLine.textContent = '';
  try {
    const list = await api(`/api/map/buildings/${panel.dataset.buildingId}/residents`, {
      method: 'POST',
      body: JSON.stringify({ purpose }),
    });
    const rows = list.residents.map((r) => residentRow(r, purpose));
    if (rows.length === 0) {
      const row = element('tr');
      const cell = element('td', '无住户登记');
      cell.colSpan = residentColumns;
      row.append(cell);
      rows.push(row);
    }
    document.getElementById('residents-body').replaceChildren(...rows);
    document.getElementById('residents-table').hidden = false;
    if (list.truncated) errorLine.textContent = `仅显示前 ${list.residents.length} 人，共 ${list.total} 人`;
  } catch (error) {
    errorLine.textContent = error.problem?.errors?.purpose?.[0] ?? error.message;
  }
});

// One masked resident, with a button that reveals this one person in full (name, ID number,
// phone) for the purpose already given: each press is one audited reveal (/api/persons/{id}/reveal).
const residentColumns = 6;
function residentRow(resident, purpose) {
  const row = element('tr');
  const action = element('td');
  const reveal = element('button', '显示完整信息', 'small reveal');
  reveal.type = 'button';
  reveal.dataset.personId = resident.personId;
  reveal.setAttribute('aria-label', `显示 ${resident.name} 的完整姓名、身份证号和电话`);
  reveal.addEventListener('click', () => revealResident(row, reveal, resident, purpose));
  action.append(reveal);
  row.append(element('td', resident.name), element('td', resident.idNumber), element('td', resident.room ?? '—'),
    element('td', statusNames[resident.status] ?? resident.status), element('td', resident.floating ? '是' : '否'), action);
  return row;
}

async function revealResident(row, button, resident, purpose) {
  const errorLine = document.getElementById('residents-error');
  errorLine.textContent = '';
  button.disabled = true;
  try {
    const person = await api(`/api/persons/${encodeURIComponent(resident.personId)}/reveal`, {
      method: 'POST',
      body: JSON.stringify({ purpose }),
    });
    const detail = element('tr', null, 'revealed');
    const cell = element('td');
    cell.colSpan = residentColumns;
    const facts = element('dl', null, 'facts revealed-facts');
    fillFacts(facts, [['姓名', person.name], ['身份证号', person.idNumber], ['手机号码', person.phone]]);
    cell.append(element('p', '已显示完整信息，本次查看已记入审计日志。', 'muted'), facts);
    detail.append(cell);
    detail.dataset.personId = resident.personId;
    row.after(detail);
    button.textContent = '已显示';
  } catch (error) {
    button.disabled = false;
    errorLine.textContent = error.problem?.errors?.purpose?.[0] ?? (error.status === 404 ? '该人员不在您的辖区' : error.message);
  }
}

// Keeps a building found by search clear of the panel: a bottom sheet on phones, a column on the
// right otherwise. An offset for this one move, not map padding, which would stay for every later one.
function panelOffset() {
  const phone = window.matchMedia('(max-width: 48rem)').matches;
  const container = map.getContainer();
  return phone ? [0, -Math.round(container.clientHeight * 0.25)] : [-Math.round(Math.min(360, container.clientWidth / 4)), 0];
}

// Flies to a building (from the search, the queue, the hot-spot list) and opens its panel.
function flyToBuilding(longitude, latitude, id) {
  map.flyTo({ center: [longitude, latitude], zoom: 17.5, offset: panelOffset() });
  shell.classList.remove('controls-open');
  openBuilding(id);
}

// Address, building code or plate search
document.getElementById('search-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const results = document.getElementById('search-results');
  const q = document.getElementById('search').value.trim();
  try {
    const hits = await api(`/api/map/search?q=${encodeURIComponent(q)}`);
    results.replaceChildren(...(hits.length === 0 ? [element('li', '本辖区内未找到')] : hits.map((hit) => {
      const button = element('button', `${hit.code} ${hit.address}`);
      button.type = 'button';
      button.addEventListener('click', () => flyToBuilding(hit.longitude, hit.latitude, hit.id));
      const item = element('li');
      item.append(button);
      return item;
    })));
  } catch (error) {
    results.replaceChildren(element('li', error.problem?.errors?.q?.[0] ?? error.message, 'error'));
  }
});
