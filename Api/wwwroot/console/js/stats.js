import { api, download, query } from './api.js';
import { chinaDate, h, select, toast } from './dom.js';

const svgNs = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, ...children) {
  const element = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  for (const child of children.flat(Infinity)) if (child !== null && child !== undefined) element.append(child instanceof Node ? child : String(child));
  return element;
}

const breakdowns = [
  ['by-grid', '按网格'], ['by-category', '按类别'], ['by-department', '按部门'], ['by-party-member', '按党员'],
];

/** 统计图表: the ticket figures by day and by grid, category, department and party member, each with its CSV. */
export async function render(main) {
  const communities = await api('/api/v1/communities');
  const community = select('s-community', '社区', communities.map(c => [c.id, c.name]), '全部（我的范围）');
  const from = h('input', { id: 's-from', type: 'date', value: chinaDate(-29) });
  const to = h('input', { id: 's-to', type: 'date', value: chinaDate(0) });
  const charts = h('div', { class: 'charts' });
  main.replaceChildren(h('h1', {}, '统计图表'),
    h('form', { class: 'filters', 'aria-label': '统计范围', onsubmit: e => { e.preventDefault(); load(); } },
      community.field,
      h('div', { class: 'field' }, h('label', { for: 's-from' }, '开始日期'), from),
      h('div', { class: 'field' }, h('label', { for: 's-to' }, '结束日期'), to),
      h('button', { type: 'submit', class: 'primary' }, '查询')),
    charts);

  async function load() {
    const params = { from: from.value, to: to.value, communityId: community.control.value };
    try {
      const [daily, ...parts] = await Promise.all([
        api(`/api/v1/stats/tickets${query({ ...params, bucket: 'day' })}`),
        ...breakdowns.map(([path]) => api(`/api/v1/stats/tickets/${path}${query(params)}`)),
      ]);
      charts.replaceChildren(
        panel('by-day', '按日', `/api/v1/stats/tickets${query({ ...params, bucket: 'day' })}`,
          columnsChart(daily.buckets.map(b => [b.start.slice(5), b.figures.received, b.figures.resolved]))),
        ...breakdowns.map(([path, title], i) => panel(path, title, `/api/v1/stats/tickets/${path}${query(params)}`,
          barsChart(parts[i].rows.map(r => [r.name ?? '未指定', r.figures.received, r.figures.resolved])))));
    } catch (error) {
      toast(error.message, true);
    }
  }
  await load();
}

function panel(key, title, csvPath, chart) {
  const id = `chart-${key}`;
  return h('section', { class: 'panel', 'aria-labelledby': id, dataset: { chart: key } },
    h('div', { class: 'chart-head' },
      h('h2', { id }, title),
      h('button', { type: 'button', onclick: () => download(csvPath, 'text/csv', `工单统计_${key}.csv`).catch(e => toast(e.message, true)) }, `下载 ${title} CSV`)),
    h('p', { class: 'legend' }, h('span', {}, '受理'), h('span', { class: 'second' }, '办结')),
    chart);
}

/** Vertical paired columns, one pair per day: received and resolved. */
function columnsChart(points) {
  const width = 560, height = 200, left = 30, bottom = 20;
  const max = Math.max(1, ...points.flatMap(([, a, b]) => [a, b]));
  const step = (width - left) / Math.max(points.length, 1);
  const y = value => (height - bottom) * (1 - value / max);
  const labelEvery = Math.ceil(points.length / 10);
  return svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': summary(points) },
    svg('line', { x1: left, y1: height - bottom, x2: width, y2: height - bottom, stroke: '#8a919c' }),
    svg('text', { x: 0, y: 10 }, String(max)),
    points.map(([label, a, b], i) => [
      svg('rect', { class: 'bar', x: left + i * step + 1, y: y(a), width: Math.max(step / 2 - 1, 1), height: height - bottom - y(a) }),
      svg('rect', { class: 'bar2', x: left + i * step + step / 2, y: y(b), width: Math.max(step / 2 - 1, 1), height: height - bottom - y(b) }),
      i % labelEvery === 0 ? svg('text', { x: left + i * step, y: height - 5 }, label) : null,
    ]));
}

/** Horizontal paired bars, one pair per row (grid, category, …). */
function barsChart(rows) {
  if (rows.length === 0) return h('p', { class: 'muted' }, '该范围内没有数据');
  const width = 560, rowHeight = 26, left = 120;
  const shown = rows.slice(0, 12);
  const max = Math.max(1, ...shown.flatMap(([, a, b]) => [a, b]));
  const x = value => (width - left - 40) * value / max;
  return svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${shown.length * rowHeight + 4}`, role: 'img', 'aria-label': summary(shown) },
    shown.map(([label, a, b], i) => [
      svg('text', { x: 0, y: i * rowHeight + 16 }, label.length > 9 ? `${label.slice(0, 9)}…` : label),
      svg('rect', { class: 'bar', x: left, y: i * rowHeight + 3, width: Math.max(x(a), 1), height: 10 }),
      svg('rect', { class: 'bar2', x: left, y: i * rowHeight + 13, width: Math.max(x(b), 1), height: 10 }),
      svg('text', { x: left + Math.max(x(a), x(b)) + 4, y: i * rowHeight + 16 }, `${a}/${b}`),
    ]));
}

function summary(points) {
  return `受理/办结：${points.map(([label, a, b]) => `${label} ${a}/${b}`).join('；') || '无数据'}`;
}
