// A playlist: its items in order, played one after another in one <audio>; for its editors, renaming, adding items
// found in the library, reordering (drag and drop, or the Move up/down buttons), removing, and pitch links to send
// it to someone outside (with an expiry, a number of opens, a password, streaming and downloads), with what each
// recipient did; for its owner, its members and deleting it.
import { api, token } from '../api.js';
import { act, date, duration, h, heading, notify, showError } from '../ui.js';
import { debounce, itemTitle, marked, searchItems } from './library.js';

const DOWNLOADS = [['none', 'No downloads'], ['original', 'The original files'], ['mp3', 'MP3'], ['aac', 'AAC']];

export async function render(main, [id]) {
  const path = `/playlists/${encodeURIComponent(id)}`;
  let playlist = await api(path);
  const role = playlist.role;
  const editor = role === 'EDIT' || role === 'OWNER';
  const owner = role === 'OWNER';
  let current = -1;
  let dragged = null;

  const title = heading(playlist.name);
  const about = h('p', { class: 'muted', id: 'playlist-about' });
  const items = h('ol', { class: 'playlist-items', id: 'playlist-items', 'aria-label': 'Items in order' });
  const audio = h('audio', { controls: true, id: 'playlist-audio', preload: 'none', 'aria-label': 'Player' });
  const playing = h('p', { id: 'now-playing', class: 'muted', 'aria-live': 'polite' }, 'Nothing playing.');

  function show(view) {
    playlist = view;
    title.textContent = view.name;
    document.title = `${view.name} · Caravan`;
    about.textContent = [view.description, `${view.size} item${view.size === 1 ? '' : 's'}`,
      `your role: ${role.toLowerCase()}`, `owner: ${view.owner}`].filter(Boolean).join(' · ');
    const focused = document.activeElement && document.activeElement.closest('#playlist-items [data-item]');
    const refocus = focused ? [focused.dataset.item, document.activeElement.dataset.action] : null;
    items.replaceChildren(...(view.items.length ? view.items.map(row)
      : [h('li', { class: 'muted' }, editor ? 'No items yet: add some from the library below.' : 'No items.')]));
    if (refocus) {
      const again = items.querySelector(`[data-item="${CSS.escape(refocus[0])}"] [data-action="${refocus[1]}"]`);
      (again && !again.disabled ? again : items.querySelector(`[data-item="${CSS.escape(refocus[0])}"] button`))
        ?.focus();
    }
  }

  function row(entry, index) {
    const name = entry.title || entry.assetId;
    const last = index === playlist.items.length - 1;
    const li = h('li', {
      class: index === current ? 'playlist-item card playing' : 'playlist-item card', draggable: editor ? 'true' : null,
      dataset: { item: entry.assetId },
    },
    editor ? h('span', { class: 'grip', 'aria-hidden': 'true', title: 'Drag to reorder' }, '⠿') : null,
    h('div', { class: 'entry' },
      h('strong', {}, name),
      h('span', { class: 'muted' }, [entry.artist, entry.album, duration(entry.duration)].filter(Boolean).join(' · '))),
    h('div', { class: 'row entry-actions' },
      h('button', { type: 'button', 'aria-label': `Play ${name}`, dataset: { action: 'play' },
        onclick: () => play(index) }, 'Play'),
      editor ? [
        h('button', { type: 'button', 'aria-label': `Move up: ${name}`, disabled: index === 0,
          dataset: { action: 'up' }, onclick: event => act(event.currentTarget, () => move(index, index - 1)) },
        'Move up'),
        h('button', { type: 'button', 'aria-label': `Move down: ${name}`, disabled: last,
          dataset: { action: 'down' }, onclick: event => act(event.currentTarget, () => move(index, index + 1)) },
        'Move down'),
        h('button', { type: 'button', class: 'danger', 'aria-label': `Remove ${name}`, dataset: { action: 'remove' },
          onclick: event => act(event.currentTarget, async () => {
            show(await api(`${path}/items/${encodeURIComponent(entry.assetId)}`, { method: 'DELETE' }));
            notify(`Removed ${name}.`, 'ok');
          }) }, 'Remove'),
      ] : null));
    if (editor) {
      li.addEventListener('dragstart', event => {
        dragged = entry.assetId;
        event.dataTransfer.effectAllowed = 'move';
        event.dataTransfer.setData('text/plain', entry.assetId);
        li.classList.add('dragging');
      });
      li.addEventListener('dragend', () => li.classList.remove('dragging'));
      li.addEventListener('dragover', event => {
        if (dragged) {
          event.preventDefault();
          event.dataTransfer.dropEffect = 'move';
        }
      });
      li.addEventListener('drop', event => {
        event.preventDefault();
        const from = playlist.items.findIndex(item => item.assetId === dragged);
        dragged = null;
        if (from >= 0 && from !== index) {
          move(from, index).catch(showError);
        }
      });
    }
    return li;
  }

  async function move(from, to) {
    const order = playlist.items.map(item => item.assetId);
    const [moved] = order.splice(from, 1);
    order.splice(to, 0, moved);
    const playingId = current >= 0 ? playlist.items[current].assetId : null;
    const view = await api(`${path}/items`, { method: 'PUT', body: { items: order } });
    current = playingId ? view.items.findIndex(item => item.assetId === playingId) : -1;
    show(view);
  }

  // the player streams the item itself (seeking with ranges, nothing fetched ahead): an <audio> sends no
  // Authorization header, so the token goes in the URL, which the API takes for streams only
  async function source(entry) {
    const separator = entry.stream.includes('?') ? '&' : '?';
    return `${entry.stream}${separator}access_token=${encodeURIComponent(await token())}`;
  }

  async function play(index) {
    const entry = playlist.items[index];
    if (!entry) {
      current = -1;
      playing.textContent = 'The end of the playlist.';
      show(playlist);
      return;
    }
    current = index;
    show(playlist);
    playing.textContent = `Loading ${entry.title || entry.assetId}…`;
    try {
      audio.src = await source(entry);
      await audio.play();
      playing.textContent = `Playing ${index + 1} of ${playlist.items.length}: ${entry.title || entry.assetId}`;
    } catch (error) {
      playing.textContent = '';
      showError(error);
    }
  }

  audio.addEventListener('ended', () => {
    if (current >= 0) {
      play(current + 1);
    }
  });

  const sections = [title, about,
    h('section', { 'aria-labelledby': 'player-title', class: 'card player' },
      h('h2', { id: 'player-title' }, 'Listen'),
      audio, h('div', { class: 'row' },
        h('button', { type: 'button', class: 'primary', id: 'play-all', onclick: () => play(0) }, 'Play in order'),
        h('button', { type: 'button', onclick: () => audio.pause() }, 'Pause')),
      playing),
    h('h2', {}, 'Items'),
    editor ? h('p', { class: 'muted' }, 'Drag items to reorder them, or use their Move buttons.') : null,
    items];
  if (editor) {
    sections.push(adder(), details(), await links());
  }
  sections.push(await members());
  main.append(...sections);
  show(playlist);

  // Adding items: a search of the library, each result with an Add button.
  function adder() {
    const q = h('input', { id: 'add-q', type: 'search', autocomplete: 'off', 'aria-controls': 'add-results' });
    const found = h('ul', { id: 'add-results', class: 'add-results', 'aria-label': 'Found in the library' });
    let searching = null;
    const search = debounce(async () => {
      const words = q.value.trim();
      if (searching) {
        searching.abort();
      }
      if (!words) {
        found.replaceChildren();
        return;
      }
      const controller = new AbortController();
      searching = controller;
      try {
        const page = await searchItems({ q: words, limit: 10 }, controller.signal);
        if (controller === searching) {
          found.replaceChildren(...(page.items.length ? page.items.map(result)
            : [h('li', { class: 'muted' }, 'Nothing found.')]));
        }
      } catch (error) {
        if (error.name !== 'AbortError') {
          showError(error);
        }
      }
    }, 250);
    function result(hit) {
      const doc = hit.doc;
      const name = itemTitle(doc);
      const inIt = playlist.items.some(item => item.assetId === doc.assetId);
      return h('li', { dataset: { item: doc.assetId } },
        h('span', {}, hit.highlights && hit.highlights.title ? marked(hit.highlights.title) : name),
        doc.artist ? h('span', { class: 'muted' }, ` — ${doc.artist}`) : null, ' ',
        h('button', { type: 'button', 'aria-label': `Add ${name}`, disabled: inIt,
          onclick: event => act(event.currentTarget, async () => {
            show(await api(`${path}/items`, { method: 'POST', body: { assetId: doc.assetId } }));
            event.target.disabled = true;
            notify(`Added ${name}.`, 'ok');
          }) }, inIt ? 'Added' : 'Add'));
    }
    q.addEventListener('input', search);
    return h('section', { 'aria-labelledby': 'add-title', class: 'card' },
      h('h2', { id: 'add-title' }, 'Add from the library'),
      h('label', { for: 'add-q', class: 'grow' }, 'Search the library', q), found);
  }

  // Its name and description; deleting it (the owner), after a second click.
  function details() {
    const name = h('input', { id: 'rename-name', required: true, maxlength: 200, value: playlist.name });
    const description = h('input', { id: 'rename-description', maxlength: 2000, value: playlist.description || '' });
    const form = h('form', {
      class: 'row', 'aria-label': 'Name and description',
      onsubmit: event => {
        event.preventDefault();
        act(form.querySelector('button[type=submit]'), async () => {
          show(await api(path, { method: 'PATCH', body: { name: name.value.trim(), description: description.value.trim() } }));
          notify('Saved.', 'ok');
        });
      },
    }, h('label', { for: 'rename-name' }, 'Name', name),
    h('label', { for: 'rename-description', class: 'grow' }, 'Description', description),
    h('button', { type: 'submit' }, 'Rename'));
    const confirm = h('button', { type: 'button', class: 'danger', hidden: true, id: 'delete-confirm',
      onclick: event => act(event.currentTarget, async () => {
        await api(path, { method: 'DELETE' });
        notify(`Deleted ${playlist.name}.`, 'ok');
        location.hash = '#/playlists';
      }) }, 'Yes, delete it');
    const remove = owner ? h('div', { class: 'row' },
      h('button', { type: 'button', class: 'danger', id: 'delete-playlist', onclick: () => {
        confirm.hidden = false;
        confirm.focus();
      } }, 'Delete the playlist'), confirm) : null;
    return h('section', { 'aria-labelledby': 'details-title', class: 'card' },
      h('h2', { id: 'details-title' }, 'Name'), form, remove);
  }

  // Members: who reads or edits it; the owner adds, changes and removes them.
  async function members() {
    const rows = h('tbody', { id: 'member-rows' });
    async function refresh() {
      const list = await api(`${path}/members`);
      rows.replaceChildren(...list.map(member => h('tr', { dataset: { member: member.user } },
        h('td', {}, member.user),
        h('td', {}, owner && member.role !== 'OWNER' ? h('select', {
          'aria-label': `Role of ${member.user}`,
          onchange: event => act(event.currentTarget, async () => {
            await api(`${path}/members/${encodeURIComponent(member.user)}`, { method: 'PUT', body: { role: event.target.value } });
            notify(`${member.user} ${event.target.value === 'edit' ? 'edits' : 'reads'} it now.`, 'ok');
          }),
        }, h('option', { value: 'read', selected: member.role === 'READ' }, 'reads'),
        h('option', { value: 'edit', selected: member.role === 'EDIT' }, 'edits'))
          : { OWNER: 'owns', EDIT: 'edits', READ: 'reads' }[member.role] || member.role),
        h('td', {}, date(member.since)),
        h('td', {}, owner && member.role !== 'OWNER' ? h('button', {
          type: 'button', class: 'danger', 'aria-label': `Remove ${member.user}`,
          onclick: event => act(event.currentTarget, async () => {
            await api(`${path}/members/${encodeURIComponent(member.user)}`, { method: 'DELETE' });
            await refresh();
          }),
        }, 'Remove') : ''))));
    }
    await refresh();
    const who = h('input', { id: 'member-user', required: true, autocomplete: 'off' });
    const what = h('select', { id: 'member-role' }, h('option', { value: 'read' }, 'reads'),
      h('option', { value: 'edit' }, 'edits'));
    const form = owner ? h('form', {
      class: 'row', 'aria-label': 'Add a member',
      onsubmit: event => {
        event.preventDefault();
        act(form.querySelector('button'), async () => {
          await api(`${path}/members/${encodeURIComponent(who.value.trim())}`, { method: 'PUT', body: { role: what.value } });
          who.value = '';
          await refresh();
        });
      },
    }, h('label', { for: 'member-user' }, 'User name', who), h('label', { for: 'member-role' }, 'Who', what),
    h('button', { type: 'submit' }, 'Add the member')) : null;
    return h('section', { 'aria-labelledby': 'members-title' },
      h('h2', { id: 'members-title' }, 'Members'),
      h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, ['User', 'Role', 'Since'].map(t => h('th', { scope: 'col' }, t)),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
        rows)), form);
  }

  // Pitch links: a new one, shown to copy; the playlist's links with their counts, in all and per item.
  async function links() {
    const list = h('ul', { id: 'pitch-links', class: 'pitch-links', 'aria-label': 'Pitch links of this playlist' });
    const made = h('div', { id: 'made-link' });
    const titles = () => new Map(playlist.items.map(item => [item.assetId, item.title || item.assetId]));

    async function refresh() {
      const mine = [];
      let cursor = null;
      let pages = 0;
      do {
        const page = await api('/pitch-links?limit=100' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
        mine.push(...page.items.filter(link => link.playlistId === playlist.id));
        cursor = page.nextCursor;
      } while (cursor && ++pages < 20);
      list.replaceChildren(...(mine.length ? mine.map(card) : [h('li', { class: 'muted' }, 'No links yet.')]));
    }

    function card(link) {
      const names = titles();
      const per = [...new Set([...Object.keys(link.itemPlays || {}), ...Object.keys(link.itemDownloads || {})])];
      const who = link.recipient.email ? `${link.recipient.name} <${link.recipient.email}>` : link.recipient.name;
      return h('li', { class: `card pitch-link ${link.state}`, dataset: { link: link.id } },
        h('h3', {}, who, ' ', h('span', { class: `status ${link.state}` }, link.state)),
        h('p', { class: 'muted' }, [
          `until ${date(link.expiresAt)}`,
          link.maxUses ? `${link.maxUses} opens at most` : null,
          link.password ? 'with a password' : null,
          link.stream ? 'plays' : 'no playing',
          link.download === 'none' ? 'no downloads' : `downloads: ${link.download}`,
        ].filter(Boolean).join(' · ')),
        h('dl', { class: 'counts' },
          h('div', {}, h('dt', {}, 'Opens'), h('dd', { dataset: { count: 'opens' } }, String(link.opens))),
          h('div', {}, h('dt', {}, 'Plays'), h('dd', { dataset: { count: 'plays' } }, String(link.plays))),
          h('div', {}, h('dt', {}, 'Downloads'), h('dd', { dataset: { count: 'downloads' } }, String(link.downloads)))),
        link.lastOpenedAt ? h('p', { class: 'muted' }, `Last opened ${date(link.lastOpenedAt)}`) : null,
        per.length ? h('table', { class: 'per-item' },
          h('caption', { class: 'visually-hidden' }, `Per item, for ${link.recipient.name}`),
          h('thead', {}, h('tr', {}, ['Item', 'Plays', 'Downloads'].map(t => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, per.map(item => h('tr', { dataset: { item } },
            h('td', {}, names.get(item) || item),
            h('td', {}, String((link.itemPlays || {})[item] || 0)),
            h('td', {}, String((link.itemDownloads || {})[item] || 0)))))) : null,
        h('div', { class: 'row' },
          h('input', { readonly: true, value: location.origin + link.url, class: 'grow link-url',
            'aria-label': `Link for ${link.recipient.name}` }),
          link.state === 'active' ? h('button', {
            type: 'button', class: 'danger', 'aria-label': `Revoke the link for ${link.recipient.name}`,
            onclick: event => act(event.currentTarget, async () => {
              await api(`/pitch-links/${encodeURIComponent(link.id)}`, { method: 'DELETE' });
              notify(`The link for ${link.recipient.name} no longer works.`, 'ok');
              await refresh();
            }),
          }, 'Revoke') : null));
    }

    const inThirtyDays = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const field = (id, label, input, extra) => h('label', { for: id, class: extra }, label, input);
    const recipient = h('input', { id: 'pitch-name', required: true, maxlength: 200, autocomplete: 'off' });
    const email = h('input', { id: 'pitch-email', type: 'email', maxlength: 320, autocomplete: 'off' });
    const message = h('textarea', { id: 'pitch-message', rows: 2, maxlength: 2000 });
    const expires = h('input', { id: 'pitch-expires', type: 'date', required: true, value: inThirtyDays,
      min: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) });
    const uses = h('input', { id: 'pitch-uses', type: 'number', min: 1, max: 1000000, inputmode: 'numeric' });
    const password = h('input', { id: 'pitch-password', type: 'password', minlength: 4, maxlength: 200,
      autocomplete: 'new-password' });
    const stream = h('input', { id: 'pitch-stream', type: 'checkbox', checked: true });
    const downloads = h('select', { id: 'pitch-download' }, DOWNLOADS.map(([value, text]) => h('option', { value }, text)));
    const form = h('form', {
      class: 'card', 'aria-labelledby': 'pitch-form-title',
      onsubmit: event => {
        event.preventDefault();
        act(form.querySelector('button[type=submit]'), async () => {
          const link = await api('/pitch-links', {
            method: 'POST',
            body: {
              playlistId: playlist.id,
              recipient: { name: recipient.value.trim(), email: email.value.trim() || null },
              message: message.value.trim() || null,
              expiresAt: new Date(`${expires.value}T23:59:59`).toISOString(),
              maxUses: uses.value ? Number(uses.value) : null,
              password: password.value || null,
              stream: stream.checked,
              download: downloads.value,
            },
          });
          const url = h('input', { id: 'pitch-link-url', readonly: true, value: location.origin + link.url,
            class: 'grow', 'aria-label': 'The new link' });
          made.replaceChildren(h('div', { class: 'note ok made-link' },
            h('div', { class: 'grow' }, h('strong', {}, `A link for ${link.recipient.name}: `), url),
            h('button', { type: 'button', onclick: event => copy(url, event.currentTarget) }, 'Copy the link')));
          url.select();
          form.reset();
          expires.value = inThirtyDays;
          await refresh();
        });
      },
    },
    h('h3', { id: 'pitch-form-title' }, 'New pitch link'),
    h('div', { class: 'row' },
      field('pitch-name', 'Recipient’s name', recipient),
      field('pitch-email', 'Their email (optional)', email),
      field('pitch-expires', 'Works until', expires),
      field('pitch-uses', 'Opens at most (optional)', uses),
      field('pitch-password', 'Password (optional)', password),
      field('pitch-download', 'Downloads', downloads),
      h('label', { class: 'check', for: 'pitch-stream' }, stream, 'They may play it')),
    h('div', { class: 'row' }, field('pitch-message', 'Message (optional)', message, 'grow')),
    h('button', { type: 'submit', class: 'primary' }, 'Make the link'));

    await refresh();
    return h('section', { 'aria-labelledby': 'links-title' },
      h('h2', { id: 'links-title' }, 'Pitch links'),
      h('p', { class: 'muted' }, 'A link lets someone without an account play (and, if you allow it, download) ' +
        'this playlist. Each link is for one recipient, so you see what they did.'),
      form, made,
      h('div', { class: 'row' }, h('h3', { class: 'grow' }, 'Links'),
        h('button', { type: 'button', id: 'refresh-links', onclick: event => act(event.currentTarget, refresh) },
          'Refresh the counts')),
      list);
  }

  async function copy(input, button) {
    try {
      await navigator.clipboard.writeText(input.value);
      button.textContent = 'Copied';
    } catch {
      input.select();
      notify('Select the link and copy it (Ctrl+C).');
    }
  }

  return () => {
    audio.pause();
    audio.removeAttribute('src');
    audio.load();
  };
}
