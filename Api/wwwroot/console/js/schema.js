import { api } from './api.js';
import { h } from './dom.js';
import { fieldLabel } from './labels.js';

// The fields of each ticket action come from the API, never from a list kept here: /console/action-forms.json is
// cut from the service's OpenAPI document (the action operations' request schemas) and is served even where Swagger is not.
let formsPromise = null;

function forms() {
  formsPromise ??= api('/console/action-forms.json').catch(error => { formsPromise = null; throw error; });
  return formsPromise;
}

/** The path segment of an action: its code in kebab case (return_visit → return-visit); the forms are keyed by it. */
export const actionPath = action => action.replaceAll('_', '-');

/** The request body schema of a ticket action: { properties, required } (empty when the action takes no body). */
export async function actionSchema(action) {
  return (await forms())[actionPath(action)] ?? { properties: {}, required: [] };
}

function typeOf(property) {
  const type = Array.isArray(property.type) ? property.type.find(t => t !== 'null') : property.type;
  return type ?? (property.enum ? 'string' : 'object');
}

/**
 * Form controls for a schema. `choices` gives a select's options for fields whose values are ids of things
 * (departmentId → departments). Arrays (photo ids) are left out: the console does not upload photos.
 */
export function controls(schema, choices) {
  const result = [];
  for (const [name, property] of Object.entries(schema.properties)) {
    const type = typeOf(property);
    if (type === 'array' || type === 'object') continue;
    const id = `field-${name}`;
    const required = schema.required.includes(name);
    const attributes = { id, name, required, dataset: { type, format: property.format ?? '' } };
    let control;
    if (choices[name]) {
      control = h('select', attributes, h('option', { value: '' }, '请选择'), choices[name].map(([v, text]) => h('option', { value: v }, text)));
    } else if (property.enum) {
      control = h('select', attributes, h('option', { value: '' }, '请选择'), property.enum.map(v => h('option', { value: v }, v)));
    } else if (type === 'integer' || type === 'number') {
      control = h('input', { ...attributes, type: 'number', min: property.minimum, max: property.maximum, step: type === 'integer' ? 1 : 'any' });
    } else if (type === 'boolean') {
      // Unchecked is an answer too (false): a required checkbox would only accept true.
      control = h('input', { ...attributes, required: false, type: 'checkbox', value: 'true' });
    } else if (property.format === 'date-time') {
      control = h('input', { ...attributes, type: 'datetime-local' });
    } else {
      control = h('textarea', { ...attributes, maxlength: property.maxLength, minlength: property.minLength });
    }
    result.push(h('div', { class: 'field' },
      h('label', { for: id }, fieldLabel(name), required ? '（必填）' : ''), control,
      h('p', { class: 'error', id: `${id}-error`, dataset: { errorFor: name } })));
  }
  return result;
}

/** The JSON body from a form built by controls(): typed values, empty fields left out. */
export function body(form) {
  const result = {};
  for (const control of form.querySelectorAll('[name]')) {
    const { type, format } = control.dataset;
    if (control.type === 'checkbox') { result[control.name] = control.checked; continue; }
    const value = control.value.trim();
    if (value === '') continue;
    if (type === 'integer' || type === 'number') result[control.name] = Number(value);
    else if (format === 'date-time') result[control.name] = new Date(value).toISOString();
    else result[control.name] = value;
  }
  return result;
}

/** Shows a validation problem's messages under their fields; answers whether any field took one. */
export function showErrors(form, errors) {
  let shown = false;
  for (const element of form.querySelectorAll('[data-error-for]')) {
    const key = Object.keys(errors).find(k => k.toLowerCase() === element.dataset.errorFor.toLowerCase());
    element.textContent = key ? errors[key].join(' ') : '';
    shown ||= Boolean(key);
  }
  return shown;
}
