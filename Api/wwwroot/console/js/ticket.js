import { ApiError, api, imageUrl, newIdempotencyKey } from './api.js';
import { dialogForm, h, toast, when } from './dom.js';
import { actionLabel, stateLabel } from './labels.js';
import { actionPath, actionSchema, body, controls, showErrors } from './schema.js';

/** A ticket: its facts, photos, timeline, and one button per action the caller may take now. */
export async function render(main, [id]) {
  const ticket = await api(`/api/v1/tickets/${id}`);
  const departments = await api('/api/v1/departments').catch(() => []);
  show(main, ticket, departments);
}

function show(main, t, departments) {
  const photos = h('div', { class: 'photos' });
  main.replaceChildren(
    h('p', {}, h('a', { href: '#/board' }, '← 返回派单看板')),
    h('h1', {}, `工单 ${t.number}`, ' ', h('span', { class: 'badge', id: 'ticket-status' }, stateLabel(t.status)),
      t.isOverdue ? h('span', { class: 'badge red' }, '超期') : null),
    h('div', { class: 'ticket' },
      h('div', {},
        h('section', { class: 'panel', 'aria-labelledby': 'facts-title' },
          h('h2', { id: 'facts-title' }, '工单信息'),
          h('dl', { class: 'facts' },
            fact('类别', t.categoryName), fact('社区', t.communityName), fact('房屋', t.houseCode), fact('地址', t.address),
            fact('描述', t.description), fact('提交人', t.submitter?.name), fact('联系电话', t.contactPhone),
            fact('代报', t.onBehalfName ? `${t.onBehalfName} ${t.onBehalfPhone ?? ''}` : null),
            fact('处理部门', t.departmentName), fact('处理人', t.handler?.name),
            fact('办结时限', when(t.dueAt)), fact('提交时间', when(t.createdAt)),
            fact('评价', t.satisfaction ? `${t.satisfaction} 分 ${t.evaluationComment ?? ''}` : null))),
        h('section', { class: 'panel', 'aria-labelledby': 'photos-title' }, h('h2', { id: 'photos-title' }, '照片'),
          t.photos.length ? photos : h('p', { class: 'muted' }, '无照片')),
        h('section', { class: 'panel', 'aria-labelledby': 'actions-title' }, h('h2', { id: 'actions-title' }, '可办理操作'),
          t.allowedActions.length
            ? h('div', { class: 'actions' }, t.allowedActions.map(action => h('button', {
              type: 'button', class: 'primary', dataset: { action },
              onclick: () => act(main, t, action, departments),
            }, actionLabel(action))))
            : h('p', { class: 'muted' }, '当前没有您可以办理的操作'))),
      h('section', { class: 'panel', 'aria-labelledby': 'timeline-title' }, h('h2', { id: 'timeline-title' }, '办理记录'),
        h('ol', { class: 'timeline' }, t.timeline.map(event => h('li', {},
          h('time', { datetime: event.createdAt }, when(event.createdAt)),
          h('strong', {}, actionLabel(event.action)), ' ', event.actor?.name ?? '系统', ' → ', stateLabel(event.toStatus),
          event.isInternal ? h('span', { class: 'badge' }, '内部') : null,
          event.note ? h('div', {}, event.note) : null))))));
  t.photos.forEach(async (photo, i) => {
    try { photos.append(h('img', { src: await imageUrl(photo.url), alt: `工单照片 ${i + 1}` })); } catch { /* a missing photo leaves a gap */ }
  });
}

function fact(name, value) {
  return value ? [h('dt', {}, name), h('dd', {}, value)] : null;
}

async function act(main, ticket, action, departments) {
  const schema = await actionSchema(action);
  const choices = { departmentId: departments.filter(d => d.isActive).map(d => [d.id, d.name]) };
  let answer = await dialogForm(`${actionLabel(action)} · ${ticket.number}`, controls(schema, choices), actionLabel(action));
  // One key for the dialog: a refused submission stores nothing under it, a lost answer is answered again.
  const headers = { 'Idempotency-Key': newIdempotencyKey() };
  while (answer) {
    try {
      const updated = await api(`/api/v1/tickets/${ticket.id}/${actionPath(action)}`, { method: 'POST', body: body(answer.form), headers });
      answer.close();
      toast(`已${actionLabel(action)}`);
      show(main, updated, departments);
      return;
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && showErrors(answer.form, error.fieldErrors)) answer.error.textContent = '请检查填写的内容';
      else answer.error.textContent = error.message;
      answer = await new Promise(resolve => answer.form.addEventListener('submit', e => {
        e.preventDefault();
        resolve({ ...answer });
      }, { once: true }));
    }
  }
}
