// Assets: uploads and the person's assets. Files dropped on the zone (or chosen with the file input) upload through
// tus, each with its progress bar, then its pipeline job's progress, polled until it ends. Below, the assets, newest
// first, a page at a time (GET /assets), with their thumbnails, filtered by kind and status. Uploads go on while the
// person looks at other pages (their list is kept here); the polling of their jobs stops and starts with the view.
import { api } from '../api.js';
import { act, bytes, date, h, heading, notify, showError } from '../ui.js';
import { upload } from '../upload.js';
import { assetThumbnail, jobPercent, JobWatch, kindOf } from './asset.js';

const KINDS = [['', 'All kinds'], ['video', 'Video'], ['audio', 'Audio'], ['image', 'Image']];
const STATUSES = [['', 'Any status'], ['READY', 'Ready'], ['PENDING', 'Pending']];
const ENDED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
const PAGE = 24;

/** The uploads of this page load, shown again when the view is. */
const uploads = h('ul', { class: 'uploads', id: 'uploads', 'aria-label': 'Uploads' });
let uploadCount = 0;
/** The view shown now, if it is: what an upload that finishes tells. */
let shown = null;

/** One file: its upload's progress, then (while the view is shown) its job's, in an item of the uploads list. */
function start(file) {
  const n = ++uploadCount;
  const bar = h('progress', { id: `upload-${n}`, class: 'upload-progress', max: 100, value: 0 });
  const state = h('span', { class: 'upload-state', 'aria-live': 'polite' }, 'Starting…');
  const cancel = h('button', { type: 'button', class: 'link', 'aria-label': `Cancel the upload of ${file.name}` },
    'Cancel');
  const item = h('li', { class: 'upload card', dataset: { file: file.name, upload: String(n) } },
    h('div', { class: 'upload-name' }, h('strong', {}, file.name), ' ', h('span', { class: 'muted' },
      bytes(file.size))),
    h('label', { for: bar.id }, `Uploading ${file.name}`), bar,
    h('div', { class: 'row' }, state, cancel));
  uploads.prepend(item);

  const sending = upload(file, {
    onProgress: (sent, total) => {
      const percent = total ? Math.floor((sent / total) * 100) : 0;
      bar.value = percent;
      state.textContent = `${percent}% · ${bytes(sent)} of ${bytes(total)}`;
    },
  });
  cancel.addEventListener('click', () => sending.abort(true));
  sending.done.then(assetId => {
    bar.value = 100;
    state.textContent = 'Uploaded';
    item.dataset.asset = assetId;
    item.querySelector('.upload-name strong').replaceChildren(
      h('a', { href: `#/assets/${encodeURIComponent(assetId)}` }, file.name));
    if (shown) {
      shown.uploaded(item);
    }
  }, error => {
    state.textContent = error.message;
    item.classList.add('failed');
    showError(error);
  }).finally(() => cancel.remove());
}

export async function render(main, params, query) {
  const watch = new JobWatch();
  let cursor = null;

  // ---------------------------------------------------------------------------------------------------- uploading
  const chooser = h('input', { type: 'file', id: 'choose-files', multiple: true,
    accept: 'video/*,audio/*,image/*', onchange: () => {
      take(chooser.files);
      chooser.value = '';
    } });
  const zone = h('section', { class: 'drop-zone', id: 'drop-zone', 'aria-labelledby': 'upload-title' },
    h('h2', { id: 'upload-title' }, 'Upload'),
    h('p', {}, 'Drop video, audio or image files here, as many as you like, or choose them.'),
    h('label', { class: 'choose', for: 'choose-files' }, 'Choose files', chooser));
  for (const type of ['dragenter', 'dragover']) {
    zone.addEventListener(type, event => {
      event.preventDefault();
      zone.classList.add('over');
    });
  }
  zone.addEventListener('dragleave', event => {
    if (!zone.contains(event.relatedTarget)) {
      zone.classList.remove('over');
    }
  });
  zone.addEventListener('drop', event => {
    event.preventDefault();
    zone.classList.remove('over');
    take(event.dataTransfer && event.dataTransfer.files);
  });

  function take(files) {
    for (const file of files || []) {
      start(file);
    }
  }

  /** An uploaded file's job, live in its item until it ends; then its card in the grid is made again. */
  function follow(item) {
    const name = item.dataset.file;
    const assetId = item.dataset.asset;
    let bar = item.querySelector('progress.job-progress');
    let state = item.querySelector('.job-state');
    if (!bar) {
      bar = h('progress', { id: `job-${item.dataset.upload}`, class: 'job-progress', max: 100, value: 0 });
      state = h('span', { class: 'job-state', 'aria-live': 'polite' }, 'Waiting for its job…');
      item.append(h('label', { for: bar.id }, `Processing ${name}`), bar, h('div', {}, state));
    }
    watch.follow(assetId, async jobs => {
      const job = jobs[0];
      if (!job) {
        return false;
      }
      const percent = jobPercent(job);
      bar.value = percent;
      const failed = (job.steps || []).filter(step => step.status === 'FAILED')
        .map(step => `${step.name}: ${step.error || 'failed'}`);
      state.textContent = `${job.status} · ${percent}%` + (failed.length ? ` · ${failed.join('; ')}` : '');
      item.dataset.job = job.status;
      if (!ENDED.has(job.status)) {
        return false;
      }
      if (job.status === 'FAILED') {
        notify(`${name}: its processing failed (${job.error || 'a step failed'})`, 'error');
      }
      await showAsset(assetId);
      return true;
    });
  }

  // -------------------------------------------------------------------------------------------------------- grid
  const initialKind = query.get('kind') || '';
  const initialStatus = query.get('status') || '';
  const kind = h('select', { id: 'filter-kind' },
    KINDS.map(([value, text]) => h('option', { value, selected: value === initialKind }, text)));
  const status = h('select', { id: 'filter-status' },
    STATUSES.map(([value, text]) => h('option', { value, selected: value === initialStatus }, text)));
  const count = h('p', { class: 'muted', id: 'asset-count', 'aria-live': 'polite' });
  const grid = h('ul', { class: 'grid asset-grid', id: 'asset-grid', 'aria-label': 'Assets' });
  const more = h('button', { type: 'button', id: 'more-assets', hidden: true }, 'More');

  function matches(card) {
    return (!kind.value || card.dataset.kind === kind.value) && (!status.value || card.dataset.status === status.value);
  }

  function applyFilters() {
    let visible = 0;
    const cards = [...grid.querySelectorAll('li[data-asset]')];
    for (const card of cards) {
      card.hidden = !matches(card);
      visible += card.hidden ? 0 : 1;
    }
    count.textContent = cards.length === 0 ? 'No assets yet: upload some above.'
      : visible === cards.length ? `${cards.length} asset${cards.length === 1 ? '' : 's'}${cursor ? ' so far' : ''}.`
        : `${visible} of the ${cards.length} assets loaded match.`;
    return visible;
  }

  function filtersChanged() {
    const search = new URLSearchParams();
    if (kind.value) {
      search.set('kind', kind.value);
    }
    if (status.value) {
      search.set('status', status.value);
    }
    const hash = '#/assets' + (search.toString() ? '?' + search : '');
    history.replaceState(null, '', hash);
    if (applyFilters() === 0 && cursor) {
      act(more, loadMore);
    }
  }
  kind.addEventListener('change', filtersChanged);
  status.addEventListener('change', filtersChanged);

  /** The next pages, until one more asset matches the filters (at most a few pages a click). */
  async function loadMore() {
    const before = applyFilters();
    for (let pages = 0; pages < 5; pages++) {
      const page = await api(`/assets?limit=${PAGE}` + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
      cursor = page.nextCursor;
      for (const asset of page.items) {
        if (!grid.querySelector(`li[data-asset="${CSS.escape(asset.id)}"]`)) {
          grid.append(card(asset));
        }
      }
      if (!cursor || applyFilters() > before) {
        break;
      }
    }
    more.hidden = !cursor;
    applyFilters();
  }

  function card(asset) {
    const media = kindOf(asset);
    const picture = h('div', { class: 'thumb' });
    assetThumbnail(asset).then(url => {
      if (url) {
        picture.append(h('img', { src: url, alt: '', loading: 'lazy', decoding: 'async' }));
      } else {
        picture.append(h('span', { class: 'muted' }, media || 'file'));
      }
    }).catch(() => picture.append(h('span', { class: 'muted' }, media || 'file')));
    return h('li', { class: 'card asset-card', dataset: { asset: asset.id, kind: media || '', status: asset.status } },
      picture,
      h('a', { href: `#/assets/${encodeURIComponent(asset.id)}`, class: 'asset-name' }, asset.filename || asset.id),
      h('div', { class: 'muted' }, [media, bytes(asset.size)].filter(Boolean).join(' · ')),
      h('div', {}, h('span', { class: `status ${asset.status}` }, asset.status), ' ',
        h('span', { class: 'muted' }, date(asset.createdAt))));
  }

  /** The asset's card made again (new, or its thumbnail and status changed), first in the grid. */
  async function showAsset(assetId) {
    const asset = await api(`/assets/${encodeURIComponent(assetId)}`);
    const fresh = card(asset);
    const old = grid.querySelector(`li[data-asset="${CSS.escape(assetId)}"]`);
    if (old) {
      old.replaceWith(fresh);
    } else {
      grid.prepend(fresh);
    }
    applyFilters();
  }

  more.addEventListener('click', () => act(more, loadMore));
  main.append(heading('Assets'), zone, uploads,
    h('section', { 'aria-labelledby': 'assets-title' },
      h('h2', { id: 'assets-title' }, 'Your assets'),
      h('div', { class: 'row filters' },
        h('label', { for: 'filter-kind' }, 'Kind', kind),
        h('label', { for: 'filter-status' }, 'Status', status)),
      count, grid, more));

  const view = {
    uploaded: item => {
      follow(item);
      showAsset(item.dataset.asset).catch(showError);
    },
  };
  shown = view;
  for (const item of uploads.querySelectorAll('li[data-asset]')) {
    if (!ENDED.has(item.dataset.job)) {
      follow(item);
    }
  }
  try {
    await loadMore();
  } catch (error) {
    showError(error);
  }
  return () => {
    if (shown === view) {
      shown = null;
    }
    watch.stop();
  };
}
