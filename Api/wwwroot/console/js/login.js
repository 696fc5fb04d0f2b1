import { ApiError, api, saveSession } from './api.js';
import { h, toast } from './dom.js';
import { roleLabel } from './labels.js';

const sessions = '/api/v1/auth/console-sessions';
const pollEveryMs = 2000;

/** 扫码登录: shows a console session's QR code, polls until a staff member approves it in the mini-program. */
export async function render(main) {
  let stopped = false;
  let timer = null;
  const qr = h('div', { class: 'qr' });
  const status = h('p', { role: 'status', class: 'muted' });
  const demo = h('section', { class: 'panel', 'aria-labelledby': 'demo-title' });

  main.replaceChildren(h('div', { class: 'login' },
    h('section', { class: 'panel', 'aria-labelledby': 'scan-title' },
      h('h1', { id: 'scan-title' }, '扫码登录'),
      h('p', {}, '请用邻里小程序扫描二维码，并在手机上确认登录。仅社区、网格、部门工作人员和街道管理员可以登录工作台。'),
      qr, status),
    demo));

  async function open() {
    const session = await api(sessions, { method: 'POST' });
    qr.replaceChildren(h('img', { src: `${sessions}/${session.id}/qr.png`, alt: '登录二维码，请用邻里小程序扫码', dataset: { qrContent: session.qrContent } }));
    status.textContent = `二维码 ${new Date(session.expiresAt).toLocaleTimeString('zh-CN', { hour12: false })} 前有效，等待扫码…`;
    poll(session);
  }

  async function poll(session) {
    if (stopped) return;
    try {
      const result = await api(`${sessions}/${session.id}`, { headers: { 'X-Console-Secret': session.secret } });
      if (result.status === 'approved') { signedIn(result.session); return; }
      timer = setTimeout(() => poll(session), pollEveryMs);
    } catch (error) {
      // Expired (410) or gone: show a fresh code.
      if (error instanceof ApiError && (error.status === 410 || error.status === 404)) { if (!stopped) open(); return; }
      status.textContent = `连接失败：${error.message}，稍后重试`;
      timer = setTimeout(() => poll(session), pollEveryMs * 3);
    }
  }

  function signedIn(session) {
    if (!session.user.roles.some(r => r !== 'resident' && r !== 'landlord' && r !== 'party_member')) {
      toast('该账号不是工作人员，不能登录工作台', true);
      return;
    }
    saveSession(session);
    location.hash = '#/board';
  }

  await open();
  renderDemo(demo, signedIn);
  return () => { stopped = true; clearTimeout(timer); };
}

/** In Simulated WeChat mode the API lists the demo staff codes; with Live WeChat it answers 404 and nothing shows. */
async function renderDemo(section, signedIn) {
  let codes;
  try { codes = await api(`${sessions}/demo-sign-ins`); } catch { section.remove(); return; }
  const rows = codes.map(c => h('tr', {},
    h('td', {}, h('button', {
      type: 'button', onclick: async () => {
        try { signedIn(await api('/api/v1/auth/wechat-login', { method: 'POST', body: { code: c.code } })); } catch (error) { toast(error.message, true); }
      },
    }, c.nickname)),
    h('td', {}, roleLabel(c.role)), h('td', {}, c.scope), h('td', {}, h('code', {}, c.code))));
  section.replaceChildren(
    h('h2', { id: 'demo-title' }, '演示账号（模拟微信）'),
    h('p', { class: 'muted' }, '本服务运行在模拟微信模式：点击下列账号直接登录，无需扫码。'),
    h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, '账号'), h('th', {}, '角色'), h('th', {}, '范围'), h('th', {}, '登录码'))), h('tbody', {}, rows)));
}
