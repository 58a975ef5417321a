// Assets: the signed-in person's assets, newest first, a page at a time (GET /assets).
import { api } from '../api.js';
import { act, bytes, date, h, heading } from '../ui.js';

export async function render(main) {
  const grid = h('ul', { class: 'grid', id: 'asset-grid', 'aria-label': 'Assets' });
  const more = h('button', { type: 'button', hidden: true }, 'More');
  let cursor = null;

  async function load() {
    const page = await api('/assets?limit=24' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
    grid.append(...page.items.map(card));
    cursor = page.nextCursor;
    more.hidden = !cursor;
    if (!grid.children.length) {
      grid.replaceWith(h('p', { class: 'muted', id: 'asset-grid' }, 'No assets yet.'));
    }
  }

  function card(asset) {
    const thumbnail = (asset.renditions || []).find(r => r.contentType && r.contentType.startsWith('image/') && r.url);
    return h('li', { class: 'card', dataset: { asset: asset.id } },
      thumbnail ? h('img', { src: thumbnail.url, alt: '', loading: 'lazy', width: 160 }) : null,
      h('a', { href: `#/assets/${encodeURIComponent(asset.id)}` }, asset.filename || asset.id),
      h('div', { class: 'muted' }, `${asset.mediaKind || asset.contentType || ''} · ${bytes(asset.size)}`),
      h('div', {}, h('span', { class: `status ${asset.status}` }, asset.status), ' ', h('span', { class: 'muted' },
        date(asset.createdAt))));
  }

  more.addEventListener('click', () => act(more, load));
  main.append(heading('Assets'), grid, more);
  await load();
}
