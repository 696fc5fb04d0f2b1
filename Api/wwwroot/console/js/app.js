import { api, clearSession, currentSession } from './api.js';
import { h } from './dom.js';
import { roleLabel } from './labels.js';
import * as login from './login.js';
import * as board from './board.js';
import * as ticket from './ticket.js';
import * as houses from './houses.js';
import * as stats from './stats.js';
import * as party from './party.js';
import * as invitations from './invitations.js';

// Hash routes: the console is one page, so it needs no server-side routes beyond its files.
const routes = [
  [/^#\/login$/, login, '扫码登录'],
  [/^#\/board$/, board, '派单看板'],
  [/^#\/tickets\/(\d+)$/, ticket, '工单详情'],
  [/^#\/houses$/, houses, '房屋与租户'],
  [/^#\/houses\/(\d+)$/, houses, '房屋详情'],
  [/^#\/stats$/, stats, '统计图表'],
  [/^#\/party-members$/, party, '党员报到'],
  [/^#\/invitations$/, invitations, '邀请码'],
];

let leave = null;

async function show() {
  const session = currentSession();
  if (!session && location.hash !== '#/login') { location.hash = '#/login'; return; }
  if (session && (location.hash === '' || location.hash === '#/login')) { location.hash = '#/board'; return; }
  const match = routes.map(([pattern, page, title]) => [pattern.exec(location.hash), page, title]).find(([m]) => m);
  if (!match) { location.hash = '#/board'; return; }
  const [m, page, title] = match;
  leave?.();
  leave = null;
  document.title = `${title} · 邻里社区工作台`;
  header(session);
  const main = document.getElementById('main');
  main.replaceChildren(h('p', { class: 'muted' }, '加载中…'));
  try {
    leave = await page.render(main, m.slice(1)) ?? null;
  } catch (error) {
    main.replaceChildren(h('h1', {}, title), h('p', { class: 'error', role: 'alert' }, error.message));
  }
}

function header(session) {
  document.getElementById('nav').hidden = !session;
  document.getElementById('logout').hidden = !session;
  const who = session ? `${session.user.nickname ?? '工作人员'}（${session.user.roles.filter(r => r !== 'resident').map(roleLabel).join('、')}）` : '';
  document.getElementById('who').textContent = who;
  for (const link of document.querySelectorAll('#nav a')) {
    const current = location.hash.startsWith(link.getAttribute('href')) || (link.getAttribute('href') === '#/board' && location.hash.startsWith('#/tickets'));
    if (current) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
}

document.getElementById('logout').addEventListener('click', async () => {
  const session = currentSession();
  if (session) await api('/api/v1/auth/logout', { method: 'POST', body: { refreshToken: session.refreshToken } }).catch(() => {});
  clearSession();
  location.hash = '#/login';
});

window.addEventListener('hashchange', show);
show();
