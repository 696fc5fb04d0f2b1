import { ApiError, api, imageUrl } from './api.js';
import { h, select, toast, when } from './dom.js';
import { invitableRoles, roleLabel } from './labels.js';
import { showErrors } from './schema.js';

/** 邀请码: creates a single-use invitation for a staff role and shows its code and QR code to scan in the mini-program. */
export async function render(main) {
  const [communities, departments] = await Promise.all([api('/api/v1/communities'), api('/api/v1/departments')]);
  const role = select('role', '角色', invitableRoles.map(r => [r, roleLabel(r)]), '请选择');
  const community = select('communityId', '社区', communities.map(c => [c.id, c.name]), '不适用');
  const grid = select('gridId', '网格（网格员）', [], '不适用');
  const department = select('departmentId', '部门（部门工作人员）', departments.map(d => [d.id, d.name]), '不适用');
  const days = h('input', { id: 'expiresInDays', name: 'expiresInDays', type: 'number', min: 1, max: 30, value: 7 });
  const result = h('section', { class: 'panel', 'aria-live': 'polite' });
  for (const s of [role, community, grid, department]) s.control.required = s === role;
  community.control.addEventListener('change', async () => {
    const grids = community.control.value ? await api(`/api/v1/communities/${community.control.value}/grids`) : [];
    grid.control.replaceChildren(h('option', { value: '' }, '不适用'), ...grids.map(g => h('option', { value: g.id }, g.name)));
  });
  const errorFields = ['role', 'communityId', 'gridId', 'departmentId', 'expiresInDays'];
  const form = h('form', { class: 'panel', 'aria-labelledby': 'invite-title', onsubmit: submit },
    h('h2', { id: 'invite-title' }, '新建邀请'),
    h('p', { class: 'muted' }, '被邀请人用邻里小程序扫描二维码（或输入邀请码）即可获得该角色。邀请码只能使用一次。'),
    h('div', { class: 'filters' }, role.field, community.field, grid.field, department.field,
      h('div', { class: 'field' }, h('label', { for: 'expiresInDays' }, '有效天数'), days)),
    errorFields.map(name => h('p', { class: 'error', dataset: { errorFor: name } })),
    h('button', { type: 'submit', class: 'primary' }, '生成邀请码'));
  main.replaceChildren(h('h1', {}, '邀请工作人员'), form, result);
  result.hidden = true;

  async function submit(event) {
    event.preventDefault();
    const number = value => (value ? Number(value) : null);
    try {
      const invitation = await api('/api/v1/invitations', {
        method: 'POST',
        body: {
          role: role.control.value, communityId: number(community.control.value), gridId: number(grid.control.value),
          departmentId: number(department.control.value), expiresInDays: number(days.value),
        },
      });
      showErrors(form, {});
      result.hidden = false;
      result.replaceChildren(h('h2', {}, '邀请码已生成'),
        h('p', {}, '邀请码：', h('strong', { id: 'invitation-code' }, invitation.code), `（${roleLabel(invitation.role)}，${when(invitation.expiresAt)} 前有效）`));
      try {
        result.append(h('img', { src: await imageUrl(invitation.qrImageUrl), alt: `邀请码 ${invitation.code} 的小程序码`, width: 200, height: 200 }));
      } catch (error) {
        result.append(h('p', { class: 'error' }, `小程序码暂时无法生成：${error.message}`));
      }
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 400 && showErrors(form, error.fieldErrors)))
        toast(error.status === 403 ? '您没有邀请该角色的权限' : error.message, true);
    }
  }
}
