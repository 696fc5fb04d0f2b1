// Talks to the API: the console's own tokens (from the scan sign-in) in sessionStorage, refreshed once on a 401.
const KEY = 'linli.console.session';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `请求失败（${status}）`);
    this.status = status;
    this.problem = problem;
  }

  /** Field errors of a validation problem, by field name. */
  get fieldErrors() { return this.problem?.errors ?? {}; }
}

export function currentSession() {
  return JSON.parse(sessionStorage.getItem(KEY) || 'null');
}

export function saveSession(session) {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession() {
  sessionStorage.removeItem(KEY);
}

async function send(path, { method = 'GET', body, accept = 'application/json', headers = {} } = {}) {
  const session = currentSession();
  const init = { method, headers: { Accept: accept, ...headers } };
  if (session) init.headers.Authorization = `Bearer ${session.accessToken}`;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return fetch(path, init);
}

async function refresh() {
  const session = currentSession();
  if (!session) return false;
  const response = await fetch('/api/v1/auth/refresh', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refreshToken: session.refreshToken }),
  });
  if (!response.ok) return false;
  saveSession(await response.json());
  return true;
}

/** Sends a request and answers the response, signing in again (refresh) once when the access token expired. */
export async function raw(path, options = {}) {
  let response = await send(path, options);
  if (response.status === 401 && currentSession()) {
    if (await refresh()) response = await send(path, options);
    if (response.status === 401) {
      clearSession();
      location.hash = '#/login';
    }
  }
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not a problem document */ }
    throw new ApiError(response.status, problem);
  }
  return response;
}

/**
 * A fresh Idempotency-Key, one per form: sending the form again after an answer that never came cannot act twice.
 * (Not crypto.randomUUID, which a console served over plain HTTP away from localhost does not have.)
 */
export function newIdempotencyKey() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join('');
}

/** JSON in, JSON out; null for 204. */
export async function api(path, options = {}) {
  const response = await raw(path, options);
  return response.status === 204 ? null : response.json();
}

/** Fetches a file with the token and saves it under the name the API gives (Content-Disposition). */
export async function download(path, accept, fallbackName) {
  const response = await raw(path, { accept });
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  const name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/** An image the API serves only with a token (photos, QR codes) as a blob: URL for an img. */
export async function imageUrl(path) {
  const response = await raw(path, { accept: 'image/*' });
  return URL.createObjectURL(await response.blob());
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== '' && value !== null && value !== undefined) search.set(name, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}
