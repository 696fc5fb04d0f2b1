// Builds elements from data without ever parsing it as HTML: text is always text.
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
}

const chinaTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
});

/** A time from the API (ISO 8601, UTC) as Beijing time, as the community reads it. */
export function when(iso) {
  return iso ? chinaTime.format(new Date(iso)) : '';
}

/** Today's date in China as yyyy-MM-dd, moved by the given number of days. */
export function chinaDate(offsetDays = 0) {
  const day = new Date(Date.now() + offsetDays * 86400000);
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(day);
}

export function toast(message, isError = false) {
  const line = h('p', { class: isError ? 'error' : '' }, message);
  document.getElementById('toast').append(line);
  setTimeout(() => line.remove(), 5000);
}

/** A select with an empty choice first; options are [value, label] pairs. */
export function select(id, label, options, emptyLabel = '全部', value = '') {
  const control = h('select', { id, name: id },
    h('option', { value: '' }, emptyLabel),
    options.map(([v, text]) => h('option', { value: v, selected: String(v) === String(value) }, text)));
  return { field: h('div', { class: 'field' }, h('label', { for: id }, label), control), control };
}

/** A modal dialog holding a form; resolves with the FormData on submit, or null when cancelled. */
export function dialogForm(title, fields, submitLabel = '确定') {
  return new Promise(resolve => {
    const error = h('p', { class: 'error', role: 'alert' });
    const form = h('form', { method: 'dialog' }, h('h2', { id: 'dialog-title' }, title), fields, error,
      h('div', { class: 'buttons' },
        h('button', { type: 'button', onclick: () => { dialog.close(); resolve(null); } }, '取消'),
        h('button', { type: 'submit', class: 'primary' }, submitLabel)));
    const dialog = h('dialog', { 'aria-labelledby': 'dialog-title' }, form);
    form.addEventListener('submit', event => {
      event.preventDefault();
      resolve({ data: new FormData(form), form, error, close: () => dialog.remove() });
    });
    dialog.addEventListener('close', () => { dialog.remove(); resolve(null); });
    document.body.append(dialog);
    dialog.showModal();
  });
}
