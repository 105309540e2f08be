// The charts of /police/statistics. The figures come from the page itself (data-statistics, the
// same JSON as /api/statistics), so charts and the tables below always agree; without JavaScript
// the tables are the page. ECharts is served from node_modules (Map/MapLibraryFiles.cs).
import * as echarts from '/lib/echarts/echarts.esm.min.mjs';

const shell = document.getElementById('stats-shell');
const stats = JSON.parse(shell.dataset.statistics);
const colours = { male: '#0b5cab', female: '#c2185b', floating: '#e07b00', line: '#0b5cab', late: '#b3261e' };
const base = { animation: false, textStyle: { fontFamily: '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif' } };

const charts = [];
function chart(id, option) {
    const element = document.getElementById(id);
    const instance = echarts.init(element, null, { renderer: 'canvas' });
    instance.setOption({ ...base, ...option });
    charts.push(instance);
    return instance;
}

// Provinces: the largest at the top.
const provinces = [...stats.provinces].reverse();
chart('chart-provinces', {
    grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: provinces.map(p => p.name) },
    series: [{ type: 'bar', data: provinces.map(p => p.count), itemStyle: { color: colours.floating }, label: { show: true, position: 'right' } }],
});

// A population pyramid: men to the left (negative), women to the right, youngest at the bottom.
const magnitude = value => Math.abs(value);
chart('chart-pyramid', {
    grid: { left: 8, right: 8, top: 28, bottom: 8, containLabel: true },
    legend: { data: ['男', '女'], top: 0 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: magnitude },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: magnitude } },
    yAxis: { type: 'category', data: stats.ageSex.map(a => a.name), axisTick: { show: false } },
    series: [
        { name: '男', type: 'bar', stack: 'people', data: stats.ageSex.map(a => -a.male), itemStyle: { color: colours.male },
          label: { show: true, position: 'left', formatter: p => (p.value ? magnitude(p.value) : '') } },
        { name: '女', type: 'bar', stack: 'people', data: stats.ageSex.map(a => a.female), itemStyle: { color: colours.female },
          label: { show: true, position: 'right', formatter: p => (p.value ? p.value : '') } },
    ],
});

chart('chart-reasons', {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { bottom: 0 },
    series: [{
        type: 'pie', radius: ['35%', '65%'], center: ['50%', '45%'],
        data: stats.reasons.filter(r => r.count > 0).map(r => ({ name: r.name, value: r.count })),
        // Counts inside the ring: outside labels do not fit a phone's width; the legend names them.
        label: { position: 'inside', formatter: '{c}', color: '#fff' },
    }],
});

chart('chart-monthly', {
    grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
    legend: { data: ['登记', '逾期申报'], top: 0 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: stats.monthly.map(m => m.month), boundaryGap: false },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
        { name: '登记', type: 'line', data: stats.monthly.map(m => m.registrations), itemStyle: { color: colours.line }, areaStyle: { opacity: 0.15 } },
        { name: '逾期申报', type: 'line', data: stats.monthly.map(m => m.late), itemStyle: { color: colours.late } },
    ],
});

chart('chart-attention', {
    grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: ['待房东确认', `逾期（>${stats.deadlineDays}天）`, '逾期申报'], axisLabel: { interval: 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{
        type: 'bar', label: { show: true, position: 'top' },
        data: [
            { value: stats.totals.pending, itemStyle: { color: colours.male } },
            { value: stats.totals.overdue, itemStyle: { color: colours.late } },
            { value: stats.totals.late, itemStyle: { color: colours.floating } },
        ],
    }],
});

window.addEventListener('resize', () => charts.forEach(c => c.resize()));
// Tests and screenshots wait for this; without animation every chart has drawn by now.
shell.dataset.state = 'rendered';
window.smartDoorplateCharts = charts;
