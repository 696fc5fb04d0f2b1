import { api, query } from './api.js';
import { h, select, when } from './dom.js';
import { stateLabel } from './labels.js';

const pageSize = 50;

// The columns of the dispatch board. A ticket may sit in two (overdue and escalated): each column is one question.
const columns = [
  { key: 'new', title: '新工单（待派单）', params: { status: 'submitted' } },
  { key: 'overdue', title: '已超期', params: { overdue: 'true' } },
  { key: 'escalated', title: '已升级', params: { escalated: 'true' } },
  { key: 'claim', title: '待党员领单', params: { status: 'open_for_claim' } },
  { key: 'working', title: '办理中', params: { status: 'dispatched,in_progress' } },
  // Rated 1 or 2 stars: the community visits the resident, then closes or reopens the ticket.
  { key: 'visit', title: '待回访', params: { status: 'return_visit' } },
];

/** 派单看板: the caller's tickets by column, newest first, with filters and the count per column. */
export async function render(main) {
  const [communities, categories] = await Promise.all([api('/api/v1/communities'), api('/api/v1/ticket-categories')]);
  const community = select('f-community', '社区', communities.map(c => [c.id, c.name]));
  const grid = select('f-grid', '网格', []);
  const category = select('f-category', '类别', categories.map(c => [c.id, c.name]));
  const text = h('input', { id: 'f-text', type: 'search', placeholder: '描述、编号' });
  const board = h('div', { class: 'board' });

  community.control.addEventListener('change', async () => {
    const grids = community.control.value ? await api(`/api/v1/communities/${community.control.value}/grids`) : [];
    grid.control.replaceChildren(h('option', { value: '' }, '全部'), ...grids.map(g => h('option', { value: g.id }, g.name)));
    load();
  });
  for (const control of [grid.control, category.control]) control.addEventListener('change', load);
  let typing = null;
  text.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(load, 300); });

  main.replaceChildren(
    h('h1', {}, '派单看板'),
    h('form', { class: 'filters', role: 'search', 'aria-label': '筛选工单', onsubmit: e => { e.preventDefault(); load(); } },
      community.field, grid.field, category.field,
      h('div', { class: 'field' }, h('label', { for: 'f-text' }, '搜索'), text),
      h('button', { type: 'submit' }, '刷新')),
    board);

  async function load() {
    const filters = { communityId: community.control.value, gridId: grid.control.value, categoryId: category.control.value, text: text.value.trim() };
    const pages = await Promise.all(columns.map(c => api(`/api/v1/tickets${query({ ...filters, ...c.params, limit: pageSize })}`)));
    board.replaceChildren(...columns.map((c, i) => column(c, pages[i])));
  }
  await load();
}

function column(definition, page) {
  const count = page.nextCursor ? `${page.items.length}+` : String(page.items.length);
  const id = `col-${definition.key}`;
  return h('section', { class: 'column', 'aria-labelledby': id, dataset: { column: definition.key } },
    h('h2', { id }, definition.title, h('span', { class: 'count', 'aria-label': `共 ${count} 件` }, count)),
    page.items.length === 0
      ? h('p', { class: 'muted' }, '暂无工单')
      : h('ul', { class: 'cards' }, page.items.map(card)));
}

function card(ticket) {
  return h('li', { class: ticket.isOverdue ? 'card overdue' : 'card', dataset: { ticketId: ticket.id } },
    h('a', { href: `#/tickets/${ticket.id}` },
      h('strong', {}, ticket.categoryName), ' ',
      h('span', { class: 'badge' }, stateLabel(ticket.status)),
      ticket.isOverdue ? h('span', { class: 'badge red' }, ' 超期') : null,
      ticket.escalationLevel > 0 ? h('span', { class: 'badge red' }, ` 升级${ticket.escalationLevel}级`) : null,
      h('div', {}, ticket.description),
      h('div', { class: 'meta' }, h('span', {}, ticket.number), h('time', { datetime: ticket.createdAt }, when(ticket.createdAt)))));
}
