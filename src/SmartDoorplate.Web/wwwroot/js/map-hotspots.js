// Gi* hot spots on the police map. The statistic needs the whole study area, so the server computes
// a run once (/api/hotspots for the case filter's period, /api/hotspots/change for the periods before
// and after the split and their change) and the `hotspots` tile layer draws that run's cells
// (?run=ID). Buildings in hot cells are outlined and listed. Text from the API goes in as textContent.
const viewNames = { filter: '筛选时段', before: '门牌安装前', after: '门牌安装后', change: '前后变化' };
const methodNames = { gistar: 'Gi*', 'gistar-fdr': 'Gi*（FDR 校正）' };
const classNames = {
  hot_99: '热点 99%', hot_95: '热点 95%', hot_90: '热点 90%',
  cold_90: '冷点 90%', cold_95: '冷点 95%', cold_99: '冷点 99%',
};
const changeClassNames = { hot_99: '增加聚集 99%', hot_95: '增加聚集 95%', hot_90: '增加聚集 90%' };
const shownBuildings = 200;

export function setupHotspots({ map, style, api, element, caseQuery, withQuery, flyToBuilding, statusLine, shell }) {
  const section = document.getElementById('hotspots');
  const toggle = document.getElementById('layer-hotspots');
  const split = document.getElementById('hotspot-split');
  const summary = document.getElementById('hotspot-summary');
  const parametersLine = document.getElementById('hotspot-parameters');
  const buildingsList = document.getElementById('hot-buildings');
  const buildingsTitle = document.getElementById('hot-buildings-title');
  const template = style.sources.hotspots.tiles[0];
  const typeNames = Object.fromEntries((style.metadata?.['smartdoorplate:caseTypes'] ?? []).map((t) => [t.code, t.name]));
  let request = 0;

  const currentView = () => section.querySelector('input[name=hotspot-view]:checked')?.value ?? 'filter';
  // The ticked types, always explicit: an absent `types` means the API's default, not "all".
  const caseTypes = () => caseQuery().types.join(',');
  function hotspotQuery() {
    const query = new URLSearchParams(caseQuery().query);
    if (caseTypes()) query.set('types', caseTypes());
    return query.toString();
  }

  function describe(parameters, run, kind) {
    const types = (parameters.types ?? []).map((t) => typeNames[t] ?? t).join('、');
    const periods = kind === 'change'
      ? `前 ${parameters.before.from} 至 ${parameters.before.to}，后 ${parameters.after.from} 至 ${parameters.after.to}（各 ${parameters.days} 天）`
      : `${parameters.from} 至 ${parameters.to}`;
    const band = `${parameters.band} 米${parameters.bandIsDefault ? '（自动取网格边长的 1.5 倍）' : ''}`;
    return `分析 #${run.id}${run.reused ? '（数据未变，沿用上次结果）' : ''}：${methodNames[parameters.method] ?? parameters.method}，`
      + `网格边长 ${parameters.cellSize} 米，邻域半径 ${band}，${periods}，${types}，共 ${parameters.cells} 格；`
      + `在住人口不足 ${parameters.minResidents} 人的网格不计发案率。`;
  }

  function showLegend(kind) {
    for (const line of section.querySelectorAll('[data-legend]')) line.hidden = line.dataset.legend !== (kind === 'change' ? 'change' : 'counts');
  }

  async function showHotBuildings(run, kind) {
    const names = kind === 'change' ? changeClassNames : classNames;
    const result = await api(`/api/hotspots/runs/${run.id}/buildings`);
    const ids = result.buildings.map((b) => b.id);
    map.setFilter('buildings-hot', ['in', ['get', 'id'], ['literal', ids]]);
    buildingsTitle.textContent = `${kind === 'change' ? '案件增加聚集网格内楼栋' : '热点网格内楼栋'}（${ids.length}${result.truncated ? '+' : ''} 栋）`;
    buildingsList.replaceChildren(...(ids.length === 0
      ? [element('li', '无')]
      : result.buildings.slice(0, shownBuildings).map((b) => {
        const button = element('button', `${b.code} ${b.address}（${names[b.class] ?? b.class}）`);
        button.type = 'button';
        button.dataset.buildingId = String(b.id);
        button.addEventListener('click', () => flyToBuilding(b.lon, b.lat, b.id));
        const item = element('li');
        item.append(button);
        return item;
      })));
    shell.dataset.hotBuildings = String(ids.length);
  }

  async function refresh() {
    if (!toggle.checked) return;
    const mine = ++request;
    const view = currentView();
    section.dataset.state = 'loading';
    try {
      let chosen;
      let result;
      if (view === 'filter') {
        result = await api(withQuery('/api/hotspots', [hotspotQuery(), 'features=false'].filter(Boolean).join('&')));
        chosen = result;
        summary.textContent = `${result.parameters.from} 至 ${result.parameters.to}：${result.parameters.events} 起案件`;
      } else {
        const query = new URLSearchParams({ features: 'false' });
        if (split.value) query.set('split', split.value);
        if (caseTypes()) query.set('types', caseTypes());
        result = await api(`/api/hotspots/change?${query}`);
        chosen = view === 'change' ? result : result[view];
        const { eventsBefore, eventsAfter, change } = result.summary;
        const percent = change === null ? '—' : `${change > 0 ? '+' : '−'}${Math.abs(change * 100).toFixed(1)}%`;
        summary.textContent = `门牌安装前 ${eventsBefore} 起 → 安装后 ${eventsAfter} 起（${percent}）`;
      }
      if (mine !== request) return;
      const kind = chosen.run.kind;
      map.getSource('hotspots').setTiles([`${template}?run=${chosen.run.id}`]);
      showLegend(kind);
      parametersLine.textContent = `${viewNames[view]} · ${describe(chosen.parameters, chosen.run, kind)}`;
      shell.dataset.hotspotRun = String(chosen.run.id);
      shell.dataset.hotspotView = view;
      await showHotBuildings(chosen.run, kind);
      if (mine === request) section.dataset.state = 'loaded';
    } catch (error) {
      if (mine !== request) return;
      section.dataset.state = 'failed';
      summary.textContent = '';
      statusLine.textContent = `热点计算失败：${error.problem?.errors ? Object.values(error.problem.errors).flat().join('；') : error.message}`;
    }
  }

  toggle.addEventListener('change', () => {
    section.hidden = !toggle.checked;
    refresh();
  });
  for (const radio of section.querySelectorAll('input[name=hotspot-view]')) radio.addEventListener('change', refresh);
  split.addEventListener('change', () => { if (currentView() !== 'filter') refresh(); });
  document.getElementById('case-filter').addEventListener('submit', () => refresh());
  // A browser that restores form state on reload may bring the layer back checked.
  section.hidden = !toggle.checked;
  refresh();
}
