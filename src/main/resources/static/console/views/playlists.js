// Playlists: those a person is a member of (their own and those shared with them), a page at a time (GET
// /playlists), and a new one (POST /playlists), opened at once.
import { api } from '../api.js';
import { act, date, h, heading } from '../ui.js';

export async function render(main) {
  const list = h('tbody', { id: 'playlist-rows' });
  const more = h('button', { type: 'button', hidden: true }, 'More playlists');
  let cursor = null;

  async function load(first) {
    const page = await api('/playlists?limit=50' + (cursor && !first ? '&cursor=' + encodeURIComponent(cursor) : ''));
    const rows = page.items.map(row);
    if (first) {
      list.replaceChildren(...(rows.length ? rows : [h('tr', {}, h('td', { colspan: 4, class: 'muted' },
        'No playlists yet: make one above.'))]));
    } else {
      list.append(...rows);
    }
    cursor = page.nextCursor;
    more.hidden = !cursor;
  }

  function row(playlist) {
    return h('tr', { dataset: { playlist: playlist.id } },
      h('td', {}, h('a', { href: `#/playlists/${encodeURIComponent(playlist.id)}` }, playlist.name)),
      h('td', {}, String(playlist.size)),
      h('td', {}, playlist.role ? playlist.role.toLowerCase() : ''),
      h('td', {}, date(playlist.updatedAt)));
  }

  const name = h('input', { id: 'playlist-name', name: 'name', required: true, maxlength: 200 });
  const description = h('input', { id: 'playlist-description', name: 'description', maxlength: 2000 });
  const form = h('form', {
    class: 'card', 'aria-labelledby': 'new-playlist-title',
    onsubmit: event => {
      event.preventDefault();
      act(form.querySelector('button[type=submit]'), async () => {
        const made = await api('/playlists', {
          method: 'POST',
          body: { name: name.value.trim(), description: description.value.trim() || null },
        });
        location.hash = `#/playlists/${encodeURIComponent(made.id)}`;
      });
    },
  },
  h('h2', { id: 'new-playlist-title' }, 'New playlist'),
  h('div', { class: 'row' },
    h('label', { for: 'playlist-name' }, 'Name', name),
    h('label', { for: 'playlist-description', class: 'grow' }, 'Description', description),
    h('button', { type: 'submit', class: 'primary' }, 'Make the playlist')));

  more.addEventListener('click', () => act(more, () => load(false)));
  main.append(heading('Playlists'), form,
    h('h2', {}, 'Your playlists'),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Name', 'Items', 'Your role', 'Changed'].map(t => h('th', { scope: 'col' }, t)))),
      list)), more);
  await load(true);
}
