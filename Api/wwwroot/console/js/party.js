import { ApiError, api, query } from './api.js';
import { dialogForm, h, select, toast, when } from './dom.js';

/** 党员报到: pending report-ins of the caller's communities, to confirm or decline (with a reason). */
export async function render(main) {
  const communities = await api('/api/v1/communities');
  const community = select('p-community', '社区', communities.map(c => [c.id, c.name]), '全部（我的范围）');
  const list = h('div', {});
  community.control.addEventListener('change', load);
  main.replaceChildren(h('h1', {}, '党员报到审核'), h('div', { class: 'filters' }, community.field), list);

  async function load() {
    const page = await api(`/api/v1/party-members${query({ status: 'pending', communityId: community.control.value, limit: 50 })}`);
    list.replaceChildren(page.items.length === 0 ? h('p', { class: 'muted' }, '没有待审核的报到') : h('table', {},
      h('thead', {}, h('tr', {}, ['姓名', '社区', '所在党组织', '流动党员', '电话', '特长', '报到时间', '操作'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, page.items.map(m => h('tr', { dataset: { partyMemberId: m.id } },
        h('td', {}, m.name), h('td', {}, m.communityName), h('td', {}, m.organisation), h('td', {}, m.isFloating ? '是' : '否'),
        h('td', {}, m.phone ?? ''), h('td', {}, (m.skills ?? []).join('、')), h('td', {}, when(m.createdAt)),
        h('td', { class: 'actions' },
          h('button', { type: 'button', class: 'primary', onclick: () => review(m, 'confirm') }, '确认'),
          h('button', { type: 'button', onclick: () => review(m, 'decline') }, '不予确认')))))));
  }

  async function review(member, decision) {
    try {
      if (decision === 'confirm') {
        await api(`/api/v1/party-members/${member.id}/confirm`, { method: 'POST' });
        toast(`已确认 ${member.name} 的报到`);
      } else {
        const reason = h('textarea', { id: 'decline-reason', name: 'reason', maxlength: 500 });
        const answer = await dialogForm(`不予确认 ${member.name} 的报到`,
          [h('div', { class: 'field' }, h('label', { for: 'decline-reason' }, '原因（将告知党员本人）'), reason)], '不予确认');
        if (!answer) return;
        answer.close();
        await api(`/api/v1/party-members/${member.id}/decline`, { method: 'POST', body: { reason: answer.data.get('reason') || null } });
        toast(`已退回 ${member.name} 的报到`);
      }
    } catch (error) {
      toast(error instanceof ApiError && error.status === 409 ? '该报到已被他人处理' : error.message, true);
    }
    await load();
  }
  await load();
}
