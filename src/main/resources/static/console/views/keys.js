// API keys: the signed-in person's keys for scripts and CI (POST/GET /api-keys, DELETE /api-keys/{id}). A new key
// is shown once, to copy; afterwards only its name, scopes and dates.
import { api } from '../api.js';
import { act, date, h, heading, notify } from '../ui.js';
import { user } from '../auth.js';

export async function render(main) {
  const me = await user();
  const list = h('tbody');
  const made = h('div', { id: 'made-key' });

  async function refresh() {
    const keys = await api('/api-keys');
    list.replaceChildren(...(keys.length ? keys.map(row) : [h('tr', {}, h('td', { colspan: 6, class: 'muted' },
      'No keys yet.'))]));
  }

  function row(key) {
    const state = key.revokedAt ? `revoked ${date(key.revokedAt)}` : key.valid ? 'in use' : 'expired';
    return h('tr', { dataset: { key: key.id } },
      h('td', {}, key.name),
      h('td', {}, [...key.scopes].sort().join(', ')),
      h('td', {}, date(key.createdAt)),
      h('td', {}, date(key.expiresAt)),
      h('td', {}, state),
      h('td', {}, key.valid ? h('button', {
        type: 'button', class: 'danger', 'aria-label': `Revoke ${key.name}`,
        onclick: event => act(event.currentTarget, async () => {
          await api(`/api-keys/${encodeURIComponent(key.id)}`, { method: 'DELETE' });
          notify(`Key ${key.name} revoked.`, 'ok');
          await refresh();
        }),
      }, 'Revoke') : ''));
  }

  const name = h('input', { id: 'key-name', name: 'name', required: true, maxlength: 100, value: 'my script' });
  const days = h('input', { id: 'key-days', name: 'days', type: 'number', min: 1, max: 365, value: 90 });
  const scopes = ['read', 'write', ...(me && me.admin ? ['admin'] : [])].map(scope => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'scope', value: scope, checked: scope !== 'admin' }), scope));
  const form = h('form', {
    class: 'card', 'aria-labelledby': 'new-key-title',
    onsubmit: event => {
      event.preventDefault();
      act(form.querySelector('button[type=submit]'), async () => {
        const chosen = [...form.querySelectorAll('input[name=scope]:checked')].map(input => input.value);
        const answer = await api('/api-keys', {
          method: 'POST', body: { name: name.value.trim(), scopes: chosen, expiresInDays: Number(days.value) },
        });
        const value = h('input', { id: 'new-key-value', readonly: true, value: answer.key, size: 60,
          'aria-label': 'The new key' });
        made.replaceChildren(h('div', { class: 'note ok' },
          h('div', {}, h('strong', {}, 'Copy this key now: it is not shown again. '), value)));
        value.select();
        await refresh();
      });
    },
  },
  h('h2', { id: 'new-key-title' }, 'New key'),
  h('div', { class: 'row' },
    h('label', { for: 'key-name' }, 'Name', name),
    h('label', { for: 'key-days' }, 'Days until it expires', days),
    h('fieldset', { class: 'row' }, h('legend', {}, 'Scopes'), scopes),
    h('button', { type: 'submit', class: 'primary' }, 'Make a key')));

  main.append(heading('API keys'),
    h('p', { class: 'muted' }, 'Keys let scripts call the API as you: send one as ',
      h('code', {}, 'Authorization: Bearer cvk_...'), ' or ', h('code', {}, 'X-Api-Key'), '.'),
    form, made,
    h('h2', {}, 'Your keys'),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Name', 'Scopes', 'Made', 'Expires', 'State'].map(t => h('th', { scope: 'col' }, t)), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
      list)));
  await refresh();
}
