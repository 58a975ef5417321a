// Small helpers the views share: elements built from data (text is always set as text, never parsed as HTML),
// messages, and the formats of sizes, durations and dates.

/**
 * An element: h('button', { type: 'button', onclick: fn, class: 'x', 'aria-label': '...' }, 'text', child...).
 * Attributes starting with "on" are listeners; null, undefined and false attributes and children are left out.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(element, child);
    } else {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
}

/** Shows a message in the page's alert region (read out by screen readers); errors stay until dismissed. */
export function notify(message, kind = 'info') {
  const region = document.getElementById('alerts');
  const note = h('div', { class: `note ${kind}` }, h('span', {}, message),
    h('button', { type: 'button', class: 'link', 'aria-label': 'Dismiss', onclick: () => note.remove() }, '×'));
  region.append(note);
  if (kind !== 'error') {
    setTimeout(() => note.remove(), 6000);
  }
  return note;
}

/** Shows what went wrong with a call: the problem's title and detail. */
export function showError(error) {
  const problem = error && error.problem;
  const text = problem && problem.title && problem.detail && problem.title !== problem.detail
    ? `${problem.title}: ${problem.detail}` : (error && error.message) || String(error);
  notify(text, 'error');
}

/** Runs an async action from a control, showing its error and keeping the control disabled meanwhile. */
export async function act(control, action) {
  if (control) {
    control.disabled = true;
  }
  try {
    return await action();
  } catch (error) {
    showError(error);
    return undefined;
  } finally {
    if (control) {
      control.disabled = false;
    }
  }
}

export function bytes(n) {
  if (n === null || n === undefined) {
    return '';
  }
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = Number(n);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(unit === 0 || value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** 83.4 -> "1:23"; 3725 -> "1:02:05". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(Number(seconds))) {
    return '';
  }
  const total = Math.max(0, Math.floor(Number(seconds)));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export function date(iso) {
  if (!iso) {
    return '';
  }
  const value = new Date(iso);
  return Number.isNaN(value.getTime()) ? String(iso) : value.toLocaleString();
}

/** A page's heading, focused so keyboard and screen-reader users land on the new view. */
export function heading(text) {
  return h('h1', { tabindex: '-1', class: 'view-title' }, text);
}

/** Saves a Blob as a file through the browser's download. */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: filename || 'download' });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Loads a vendored browser library (a classic script under /vendor/) once; resolves with its global. */
const scripts = new Map();
export function vendor(file, global) {
  if (!scripts.has(file)) {
    scripts.set(file, new Promise((resolve, reject) => {
      const script = h('script', { src: `/vendor/${file}` });
      script.addEventListener('load', () => resolve(window[global]));
      script.addEventListener('error', () => reject(new Error(`/vendor/${file} did not load`)));
      document.head.append(script);
    }));
  }
  return scripts.get(file);
}
