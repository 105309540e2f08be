// Keyboard and screen-reader use of the police map: a skip link to the map, lists that are one tab
// stop each (arrow keys move inside), the building panel taking focus when it opens and giving it
// back when Escape or × closes it, and MapLibre's own control labels in the page's language.

// MapLibre's built-in texts (its `locale` option), by the page's <html lang>. English is MapLibre's own.
const mapTexts = {
  zh: {
    'AttributionControl.ToggleAttribution': '显示或隐藏数据来源',
    'AttributionControl.MapFeedback': '地图反馈',
    'FullscreenControl.Enter': '全屏',
    'FullscreenControl.Exit': '退出全屏',
    'GeolocateControl.FindMyLocation': '定位到我的位置',
    'GeolocateControl.LocationNotAvailable': '无法获取位置',
    'GlobeControl.Enable': '切换为球面视图',
    'GlobeControl.Disable': '切换为平面视图',
    'LogoControl.Title': 'MapLibre 标志',
    'Map.Title': '地图',
    'Marker.Title': '地图标记',
    'NavigationControl.ResetBearing': '恢复正北方向',
    'NavigationControl.ZoomIn': '放大',
    'NavigationControl.ZoomOut': '缩小',
    'Popup.Close': '关闭弹窗',
    'ScaleControl.Feet': '英尺',
    'ScaleControl.Meters': '米',
    'ScaleControl.Kilometers': '公里',
    'ScaleControl.Miles': '英里',
    'ScaleControl.NauticalMiles': '海里',
    'TerrainControl.Enable': '显示地形',
    'TerrainControl.Disable': '隐藏地形',
    'CooperativeGesturesHandler.WindowsHelpText': '按住 Ctrl 并滚动鼠标滚轮缩放地图',
    'CooperativeGesturesHandler.MacHelpText': '按住 ⌘ 并滚动鼠标滚轮缩放地图',
    'CooperativeGesturesHandler.MobileHelpText': '用两根手指移动地图',
  },
};

export function mapLocale(lang = document.documentElement.lang) {
  return mapTexts[(lang || '').toLowerCase().split('-')[0]];
}

const canvasOf = (map) => map.getCanvas();

// The skip link is the first stop inside the map page; it lands on the map's canvas, where MapLibre
// takes the arrow keys and +/- for panning and zooming.
export function setupSkipLink(map, link) {
  link.addEventListener('click', (event) => {
    event.preventDefault();
    canvasOf(map).focus();
  });
}

// One tab stop for a whole list of buttons (the queue has hundreds): Tab enters at the current
// item and leaves the list; ↑/↓, Home/End and PageUp/PageDown move within. The list may be
// rebuilt at any time (paging, filters), so its buttons are settled again after every change.
export function rovingList(list) {
  // The items' buttons, in whatever groups the list has (the queue's kinds, each paged); the pagers'
  // buttons stay ordinary tab stops.
  const items = () => [...list.querySelectorAll('li > button[data-type], :scope > li > button')];
  let current = null;

  function settle() {
    const all = items();
    if (!all.includes(current)) current = all[0] ?? null;
    for (const button of all) button.tabIndex = button === current ? 0 : -1;
  }

  function move(to) {
    if (!to) return;
    current = to;
    settle();
    to.focus();
  }

  list.addEventListener('focusin', (event) => {
    const button = event.target.closest('button');
    if (button && items().includes(button) && button !== current) { current = button; settle(); }
  });
  list.addEventListener('keydown', (event) => {
    const all = items();
    const at = all.indexOf(document.activeElement);
    if (at < 0) return;
    const page = 10;
    const target = {
      ArrowDown: all[at + 1], ArrowUp: all[at - 1], Home: all[0], End: all[all.length - 1],
      PageDown: all[Math.min(at + page, all.length - 1)], PageUp: all[Math.max(at - page, 0)],
    }[event.key];
    if (target === undefined) return;
    event.preventDefault();
    move(target);
  });
  new MutationObserver(settle).observe(list, { childList: true, subtree: true });
  settle();
}

// The building panel is a non-modal dialog: opening it (by a click on the map, the queue, a search
// hit) moves focus into it, so a keyboard or screen-reader user is where the answer is; Escape or ×
// closes it and focus goes back to where it came from (the map's canvas when that is gone).
export function setupPanelFocus({ map, panel, closeButton }) {
  let returnTo = null;

  const isOpen = () => !panel.hidden;
  const focusPanel = () => panel.focus({ preventScroll: true });

  new MutationObserver((changes) => {
    if (isOpen()) {
      if (!panel.contains(document.activeElement)) returnTo = document.activeElement;
      // A new building (or the first) was opened: its title is what should be read next.
      if (changes.some((change) => change.attributeName === 'hidden' || change.attributeName === 'data-building-id')) focusPanel();
    } else {
      const target = returnTo && returnTo.isConnected && returnTo !== document.body && returnTo.offsetParent !== null
        ? returnTo : canvasOf(map);
      returnTo = null;
      if (panel.contains(document.activeElement) || document.activeElement === document.body || document.activeElement === null) {
        target.focus({ preventScroll: true });
      }
    }
  }).observe(panel, { attributes: true, attributeFilter: ['hidden', 'data-building-id'] });

  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !isOpen()) return;
    const from = event.target;
    // Escape in a field of the panel or on the map closes the panel; elsewhere (the search box
    // clears itself on Escape) it is left to what has focus.
    if (panel.contains(from) || from === canvasOf(map) || from === document.body) {
      event.preventDefault();
      closeButton.click();
    }
  });
}
