// The library: the items a person may see (their own and those shared with them), searched as they type (by prefix
// and with typos: GET /library/items?q=), narrowed by facets (artist, album, genre, type) and labels, sorted, a page
// at a time. An owner edits an item's tags and labels (PATCH /library/items/{id}) and shares it with others
// (PUT/DELETE /library/items/{id}/shares/{user}). The search state is kept in the address, so a search has a link.
import { api } from '../api.js';
import { act, duration, h, heading, notify } from '../ui.js';
import { user } from '../auth.js';

const FACETS = [['artist', 'Artist'], ['album', 'Album'], ['genre', 'Genre'], ['type', 'Type']];
const SORTS = [['relevance', 'Relevance'], ['-created', 'Newest'], ['created', 'Oldest'], ['title', 'Title'],
  ['artist', 'Artist'], ['album', 'Album'], ['-year', 'Year, latest first'], ['duration', 'Duration']];
const TAGS = [['title', 'Title'], ['artist', 'Artist'], ['album', 'Album'], ['albumArtist', 'Album artist'],
  ['track', 'Track', 'number'], ['disc', 'Disc', 'number'], ['year', 'Year', 'number'], ['genre', 'Genre'],
  ['composer', 'Composer'], ['isrc', 'ISRC']];
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Text of HTML-escaped text: entities decoded, nothing parsed as markup. */
function unescapeText(text) {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * The nodes of a highlight as the API gives it (escaped text with its matches in <mark>...</mark>): text nodes and
 * <mark> elements built here; nothing of it is ever parsed as HTML.
 */
export function marked(html) {
  return String(html).split(/<mark>|<\/mark>/).map((part, i) => (i % 2 === 1
    ? h('mark', {}, unescapeText(part)) : document.createTextNode(unescapeText(part))));
}

/** GET /library/items with these parameters (a URLSearchParams or an object). */
export function searchItems(parameters, signal) {
  const query = new URLSearchParams(parameters);
  return api('/library/items?' + query.toString(), { signal });
}

/** Calls fn with the latest arguments once they have rested for ms. */
export function debounce(fn, ms = 250) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** What an item is called: its title, else its file's name. */
export function itemTitle(doc) {
  return doc.title || doc.filename || doc.assetId || doc.id;
}

export async function render(main, params, query) {
  const me = await user();
  const state = {
    q: query.get('q') || '',
    sort: query.get('sort') || '',
    owned: query.get('owned') || '',
    label: query.get('label') || '',
    artist: query.get('artist') || '',
    album: query.get('album') || '',
    genre: query.get('genre') || '',
    type: query.get('type') || '',
  };
  let cursor = null;
  let searching = null;

  const q = h('input', { id: 'library-q', type: 'search', name: 'q', value: state.q, autocomplete: 'off',
    placeholder: 'Title, artist, album, label, words said…', 'aria-controls': 'library-results' });
  const sort = h('select', { id: 'library-sort', name: 'sort' },
    SORTS.map(([value, text]) => h('option', { value, selected: value === (state.sort || 'relevance') }, text)));
  const owned = h('select', { id: 'library-owned', name: 'owned' },
    [['', 'Everything I may see'], ['true', 'Mine'], ['false', 'Shared with me']]
      .map(([value, text]) => h('option', { value, selected: value === state.owned }, text)));
  const status = h('p', { id: 'library-status', class: 'muted', role: 'status', 'aria-live': 'polite' });
  const chosen = h('div', { class: 'row chips', id: 'library-filters', 'aria-label': 'Filters in use' });
  const facets = h('div', { class: 'facets', id: 'library-facets' });
  const results = h('ul', { class: 'library-results', id: 'library-results', 'aria-label': 'Items' });
  const more = h('button', { type: 'button', id: 'library-more', hidden: true }, 'More items');

  function parameters() {
    const p = { facets: 'true', limit: '20' };
    for (const [name, value] of Object.entries(state)) {
      if (value) {
        p[name] = value;
      }
    }
    if (!state.q && (!state.sort || state.sort === 'relevance')) {
      p.sort = '-created';
    }
    return p;
  }

  function remember() {
    const kept = new URLSearchParams(Object.entries(state).filter(([, value]) => value));
    const hash = '#/library' + (kept.toString() ? '?' + kept : '');
    if (location.hash !== hash) {
      history.replaceState(null, '', hash);
    }
  }

  async function search() {
    remember();
    if (searching) {
      searching.abort();
    }
    const controller = new AbortController();
    searching = controller;
    cursor = null;
    let page;
    try {
      page = await searchItems(parameters(), controller.signal);
    } catch (error) {
      if (error.name === 'AbortError') {
        return;
      }
      throw error;
    }
    if (controller !== searching) {
      return;
    }
    searching = null;
    results.replaceChildren(...page.items.map(card));
    showFacets(page.facets || {});
    showFilters();
    cursor = page.nextCursor;
    more.hidden = !cursor;
    status.textContent = page.total === 0 ? 'Nothing found.'
      : `${page.total} item${page.total === 1 ? '' : 's'}${state.q ? ` for “${state.q}”` : ''}.`;
  }

  async function next() {
    const page = await searchItems({ ...parameters(), cursor });
    results.append(...page.items.map(card));
    cursor = page.nextCursor;
    more.hidden = !cursor;
  }

  function run() {
    search().catch(error => {
      status.textContent = '';
      notify(error.message, 'error');
    });
  }

  function setFilter(name, value) {
    state[name] = value;
    run();
  }

  function showFacets(counts) {
    const groups = FACETS.map(([name, title]) => {
      const values = counts[name === 'type' ? 'mediaKind' : name] || [];
      if (!values.length && !state[name]) {
        return null;
      }
      return h('fieldset', { class: 'facet', dataset: { facet: name } },
        h('legend', {}, title),
        h('ul', {}, values.map(({ value, count }) => {
          const on = state[name].toLowerCase() === String(value).toLowerCase();
          return h('li', {}, h('button', {
            type: 'button', class: on ? 'link facet-value on' : 'link facet-value', 'aria-pressed': String(on),
            dataset: { value },
            onclick: () => setFilter(name, on ? '' : value),
          }, `${value} (${count})`));
        })));
    }).filter(Boolean);
    facets.replaceChildren(...(groups.length ? [h('h2', { class: 'visually-hidden' }, 'Filters'), ...groups] : []));
  }

  function showFilters() {
    const active = [...FACETS, ['label', 'Label']].filter(([name]) => state[name]);
    chosen.replaceChildren(...active.map(([name, title]) => h('button', {
      type: 'button', class: 'chip', 'aria-label': `${title}: ${state[name]}, remove the filter`,
      onclick: () => setFilter(name, ''),
    }, `${title}: ${state[name]}`, h('span', { 'aria-hidden': 'true' }, ' ×'))));
  }

  function field(hit, name) {
    const highlight = hit.highlights && hit.highlights[name];
    return highlight ? marked(highlight) : [hit.doc[name] || ''];
  }

  function card(hit) {
    const doc = hit.doc;
    const mine = doc.owner === me.subject;
    const title = hit.highlights && hit.highlights.title ? marked(hit.highlights.title) : [itemTitle(doc)];
    const panel = h('div', { class: 'item-panel' });
    const other = Object.entries(hit.highlights || {}).filter(([name]) => !['title', 'artist', 'album'].includes(name));
    const item = h('li', { class: 'card library-item', dataset: { item: doc.assetId } },
      h('h3', { class: 'item-title' }, title),
      h('p', { class: 'item-line' }, doc.artist || hit.highlights?.artist ? field(hit, 'artist') : null,
        (doc.artist && doc.album) ? ' — ' : null, doc.album || hit.highlights?.album ? field(hit, 'album') : null),
      h('p', { class: 'muted item-facts' }, [doc.mediaKind, doc.year, doc.genre, duration(doc.duration),
        mine ? null : `shared by ${doc.owner}`].filter(Boolean).join(' · ')),
      other.map(([name, html]) => h('p', { class: 'found' }, h('span', { class: 'muted' }, `${name}: `), marked(html))),
      doc.labels && doc.labels.length ? h('ul', { class: 'labels', 'aria-label': 'Labels' }, doc.labels.map(label =>
        h('li', {}, h('button', {
          type: 'button', class: 'chip', 'aria-label': `Only items labelled ${label}`,
          onclick: () => setFilter('label', label),
        }, label)))) : null,
      mine ? h('div', { class: 'row' },
        h('button', { type: 'button', 'aria-expanded': 'false', 'aria-label': `Edit tags of ${itemTitle(doc)}`,
          onclick: event => toggle(event.currentTarget, panel, () => editor(doc, panel)) }, 'Edit tags'),
        h('button', { type: 'button', 'aria-expanded': 'false', 'aria-label': `Share ${itemTitle(doc)}`,
          onclick: event => toggle(event.currentTarget, panel, () => sharing(doc, panel)) }, 'Share')) : null,
      panel);
    return item;
  }

  async function toggle(button, panel, fill) {
    const open = button.getAttribute('aria-expanded') === 'true';
    for (const other of button.parentElement.querySelectorAll('[aria-expanded]')) {
      other.setAttribute('aria-expanded', 'false');
    }
    panel.replaceChildren();
    if (!open) {
      button.setAttribute('aria-expanded', 'true');
      await act(button, fill);
    }
  }

  async function editor(doc, panel) {
    const item = await api(`/library/items/${encodeURIComponent(doc.assetId)}`);
    const tags = item.tags || {};
    const fileTags = item.fileTags || {};
    const id = name => `tag-${doc.assetId}-${name}`;
    const inputs = TAGS.map(([name, label, type]) => h('label', { for: id(name) }, label,
      h('input', { id: id(name), name, type: type || 'text', value: tags[name] ?? '', dataset: { tag: name } })));
    const labels = h('input', { id: id('labels'), name: 'labels', value: (item.labels || []).join(', ') });
    const form = h('form', {
      class: 'tag-editor', 'aria-label': `Tags of ${itemTitle(doc)}`,
      onsubmit: event => {
        event.preventDefault();
        act(form.querySelector('button[type=submit]'), async () => {
          const changed = {};
          for (const input of form.querySelectorAll('[data-tag]')) {
            const name = input.dataset.tag;
            const value = input.value.trim();
            const before = tags[name] === null || tags[name] === undefined ? '' : String(tags[name]);
            if (value === before) {
              continue;
            }
            const fromFile = fileTags[name] === null || fileTags[name] === undefined ? '' : String(fileTags[name]);
            if (value === fromFile) {
              changed[name] = null;
            } else if (input.type === 'number') {
              changed[name] = value === '' ? null : Number(value);
            } else {
              changed[name] = value;
            }
          }
          const wanted = labels.value.split(',').map(label => label.trim()).filter(Boolean);
          await api(`/library/items/${encodeURIComponent(doc.assetId)}`, {
            method: 'PATCH', body: { tags: changed, labels: wanted },
          });
          notify(`Saved ${value(form, 'title') || itemTitle(doc)}. The search shows it in a moment.`, 'ok');
          panel.replaceChildren();
          setTimeout(run, 1500);
        });
      },
    },
    h('div', { class: 'row' }, inputs,
      h('label', { for: id('labels') }, 'Labels (separated by commas)', labels)),
    h('p', { class: 'muted' }, 'The file itself is not changed. A tag set back to the file’s value follows the file.'),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, 'Save tags'),
      h('button', { type: 'button', onclick: () => panel.replaceChildren() }, 'Cancel')));
    panel.replaceChildren(form);
    form.querySelector('input').focus();
  }

  function value(form, name) {
    const input = form.querySelector(`[data-tag="${name}"]`);
    return input ? input.value.trim() : '';
  }

  async function sharing(doc, panel) {
    const list = h('ul', { class: 'shares', 'aria-label': `Shared with` });
    const show = users => list.replaceChildren(...(users.length ? users.map(who => h('li', {}, who, ' ',
      h('button', {
        type: 'button', class: 'danger', 'aria-label': `Stop sharing with ${who}`,
        onclick: event => act(event.currentTarget, async () => {
          await api(`/library/items/${encodeURIComponent(doc.assetId)}/shares/${encodeURIComponent(who)}`,
            { method: 'DELETE' });
          show(await api(`/library/items/${encodeURIComponent(doc.assetId)}/shares`));
        }),
      }, 'Stop sharing'))) : [h('li', { class: 'muted' }, 'Nobody yet.')]));
    show(await api(`/library/items/${encodeURIComponent(doc.assetId)}/shares`));
    const who = h('input', { id: `share-${doc.assetId}`, name: 'user', required: true, autocomplete: 'off' });
    const form = h('form', {
      class: 'row', 'aria-label': `Share ${itemTitle(doc)}`,
      onsubmit: event => {
        event.preventDefault();
        act(form.querySelector('button'), async () => {
          const users = await api(`/library/items/${encodeURIComponent(doc.assetId)}/shares/${encodeURIComponent(
            who.value.trim())}`, { method: 'PUT' });
          notify(`Shared with ${who.value.trim()}.`, 'ok');
          who.value = '';
          show(users);
        });
      },
    }, h('label', { for: `share-${doc.assetId}` }, 'Share with (their user name)', who),
    h('button', { type: 'submit' }, 'Share'));
    panel.replaceChildren(h('h4', {}, 'Shared with'), list, form);
    who.focus();
  }

  const typed = debounce(() => {
    state.q = q.value.trim();
    if (!state.q && state.sort === 'relevance') {
      state.sort = '';
    }
    run();
  }, 250);
  q.addEventListener('input', typed);
  sort.addEventListener('change', () => {
    state.sort = sort.value === 'relevance' ? '' : sort.value;
    run();
  });
  owned.addEventListener('change', () => {
    state.owned = owned.value;
    run();
  });
  more.addEventListener('click', () => act(more, next));

  main.append(heading('Library'),
    h('form', { role: 'search', class: 'row library-search', onsubmit: event => event.preventDefault() },
      h('label', { for: 'library-q', class: 'grow' }, 'Search', q),
      h('label', { for: 'library-sort' }, 'Sort by', sort),
      h('label', { for: 'library-owned' }, 'Whose', owned)),
    chosen, status,
    h('div', { class: 'library-layout' }, facets, h('div', { class: 'library-main' }, results, more)));
  await search();
  return () => {
    if (searching) {
      searching.abort();
    }
  };
}
