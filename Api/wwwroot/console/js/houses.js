import { ApiError, api, download, query } from './api.js';
import { dialogForm, h, select, toast, when } from './dom.js';
import { documentLabel, tenancyLabel, useLabel } from './labels.js';

/** 房屋与租户: the houses of a grid, or one house with its tenants (masked) and the audited full read. */
export async function render(main, [houseId]) {
  if (houseId) return renderHouse(main, houseId);
  const communities = await api('/api/v1/communities');
  const community = select('h-community', '社区', communities.map(c => [c.id, c.name]), '请选择社区', sessionStorage.getItem('linli.houses.community') ?? '');
  const grid = select('h-grid', '网格', [], '请选择网格');
  const list = h('div', {});
  const sheet = h('button', { type: 'button', disabled: true, onclick: () => download(`/api/v1/grids/${grid.control.value}/qrcodes.pdf`, 'application/pdf', '房屋二维码.pdf').catch(e => toast(e.message, true)) }, '下载本网格二维码打印页（PDF）');

  async function loadGrids() {
    sessionStorage.setItem('linli.houses.community', community.control.value);
    const grids = community.control.value ? await api(`/api/v1/communities/${community.control.value}/grids`) : [];
    const remembered = sessionStorage.getItem('linli.houses.grid');
    grid.control.replaceChildren(h('option', { value: '' }, '请选择网格'),
      ...grids.map(g => h('option', { value: g.id, selected: String(g.id) === remembered }, g.name)));
    await loadHouses();
  }

  async function loadHouses() {
    sessionStorage.setItem('linli.houses.grid', grid.control.value);
    sheet.disabled = !grid.control.value;
    if (!grid.control.value) { list.replaceChildren(h('p', { class: 'muted' }, '请选择社区和网格')); return; }
    const page = await api(`/api/v1/houses${query({ gridId: grid.control.value, limit: 50 })}`);
    list.replaceChildren(page.items.length === 0 ? h('p', { class: 'muted' }, '本网格还没有登记房屋') : h('table', {},
      h('caption', { class: 'muted' }, `共 ${page.items.length}${page.nextCursor ? '+' : ''} 套`),
      h('thead', {}, h('tr', {}, ['房屋码', '地址', '用途', '房东', '房东电话', '空房/房间'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, page.items.map(house => h('tr', {},
        h('td', {}, h('a', { href: `#/houses/${house.id}` }, house.code)),
        h('td', {}, address(house)), h('td', {}, useLabel(house.use)),
        h('td', {}, house.landlord?.nickname ?? ''), h('td', {}, house.landlord?.phone ?? house.pendingLandlordPhone ?? ''),
        h('td', {}, `${house.roomsFree ?? ''}/${house.rooms ?? ''}`))))));
  }

  community.control.addEventListener('change', () => { sessionStorage.removeItem('linli.houses.grid'); loadGrids(); });
  grid.control.addEventListener('change', loadHouses);
  main.replaceChildren(h('h1', {}, '房屋与租户'),
    h('div', { class: 'filters' }, community.field, grid.field, h('div', { class: 'field' }, sheet)), list);
  await loadGrids();
}

function address(house) {
  const a = house.address ?? {};
  return [a.street, a.building, a.unit, a.door].filter(Boolean).join(' ');
}

async function renderHouse(main, id) {
  const [house, tenancies] = await Promise.all([api(`/api/v1/houses/${id}`), api(`/api/v1/houses/${id}/tenancies`)]);
  main.replaceChildren(
    h('p', {}, h('a', { href: '#/houses' }, '← 返回房屋列表')),
    h('h1', {}, `房屋 ${house.code}`),
    h('section', { class: 'panel', 'aria-labelledby': 'house-title' }, h('h2', { id: 'house-title' }, '房屋信息'),
      h('dl', { class: 'facts' },
        h('dt', {}, '地址'), h('dd', {}, address(house)),
        h('dt', {}, '社区网格'), h('dd', {}, `${house.communityName ?? ''} ${house.gridName ?? ''}`),
        h('dt', {}, '用途'), h('dd', {}, useLabel(house.use)),
        h('dt', {}, '房东'), h('dd', {}, `${house.landlord?.nickname ?? '未认领'} ${house.landlord?.phone ?? ''}`))),
    h('section', { class: 'panel', 'aria-labelledby': 'tenants-title' }, h('h2', { id: 'tenants-title' }, '租户'),
      h('p', { class: 'muted' }, '证件号和电话已隐藏部分数字。查看完整号码需要填写原因，每次查看都会记录在审计日志中。'),
      tenancies.length === 0 ? h('p', { class: 'muted' }, '暂无租户') : h('table', {},
        h('thead', {}, h('tr', {}, ['姓名', '证件', '证件号码', '电话', '房间', '入住', '状态', ''].map(t => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, tenancies.map(tenancyRow)))));
}

function tenancyRow(t) {
  const number = h('td', { class: 'document-number' }, t.documentNumber ?? '');
  const phone = h('td', {}, t.phone ?? '');
  const read = h('button', {
    type: 'button', onclick: async () => {
      const full = await readFull(t);
      if (!full) return;
      number.replaceChildren(h('span', { class: 'full-number' }, full.documentNumber));
      if (full.phone) phone.replaceChildren(h('span', { class: 'full-number' }, full.phone));
      read.disabled = true;
    },
  }, '查看完整号码');
  return h('tr', { dataset: { tenancyId: t.id } },
    h('td', {}, t.tenantName), h('td', {}, documentLabel(t.documentType)), number, phone,
    h('td', {}, t.room ?? ''), h('td', {}, t.moveInDate ?? ''), h('td', {}, tenancyLabel(t.status)), h('td', {}, read));
}

async function readFull(tenancy) {
  const reason = h('textarea', { id: 'read-reason', name: 'reason', required: true, minlength: 2, maxlength: 500 });
  let answer = await dialogForm(`查看 ${tenancy.tenantName} 的完整证件号`,
    [h('div', { class: 'field' }, h('label', { for: 'read-reason' }, '查看原因（必填，将记入审计日志）'), reason)], '查看');
  while (answer) {
    try {
      const full = await api(`/api/v1/tenancies/${tenancy.id}/document${query({ reason: answer.data.get('reason') })}`);
      answer.close();
      return full;
    } catch (error) {
      answer.error.textContent = error instanceof ApiError && error.fieldErrors.reason ? error.fieldErrors.reason.join(' ') : error.message;
      const previous = answer;
      answer = await new Promise(resolve => previous.form.addEventListener('submit', e => {
        e.preventDefault();
        resolve({ ...previous, data: new FormData(previous.form) });
      }, { once: true }));
    }
  }
  return null;
}
