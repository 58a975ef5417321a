// An asset: its player (the MP4 renditions, or the original when the browser plays it; HLS through hls.js only when
// nothing else plays), its renditions to download, its metadata, its jobs with each step's state (polled while one
// runs), and for an image the options builder: the signed /img URL of the options chosen (made by the server, POST
// /assets/{id}/image-urls) and its preview.
import { api, ApiError, download } from '../api.js';
import { act, bytes, date, duration, h, heading, showError, vendor } from '../ui.js';

const ENDED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
const THUMBNAIL_OPTIONS = 'w:360,h:240,fit:fit';

/** video, audio or image: the kind the server found, else the media type's. */
export function kindOf(asset) {
  return asset.mediaKind || (asset.contentType || '').split('/')[0] || '';
}

function renditions(asset, test) {
  return (asset.renditions || []).filter(r => r.url && test(r));
}

/**
 * The URL of an asset's thumbnail: a video's poster (or first still), an audio file's cover, an image's signed /img
 * rendition; null when it has none (yet).
 */
export async function assetThumbnail(asset) {
  const media = kindOf(asset);
  if (media === 'image') {
    return asset.status === 'READY' ? (await imageUrl(asset.id, THUMBNAIL_OPTIONS)).url : null;
  }
  const still = renditions(asset, r => r.name === 'poster')[0] || renditions(asset, r => r.name === 'thumbnail')[0]
    || renditions(asset, r => r.name === 'cover')[0];
  return still ? still.url : null;
}

/** A signed /img URL of the caller's image with these options (the server signs: the key is its own). */
export function imageUrl(assetId, options) {
  return api(`/assets/${encodeURIComponent(assetId)}/image-urls`, { method: 'POST', body: { options } });
}

/** A job's percentage: the server's, weighed by its steps; 100 once it succeeded. */
export function jobPercent(job) {
  if (job.status === 'SUCCEEDED') {
    return 100;
  }
  if (typeof job.progress === 'number') {
    return job.progress;
  }
  const steps = job.steps || [];
  const shares = steps.reduce((sum, step) => sum + Math.max(1, step.weight || 1), 0);
  return shares ? Math.floor(steps.reduce((sum, s) => sum + s.progress * Math.max(1, s.weight || 1), 0) / shares) : 0;
}

/**
 * Polls the jobs of assets (GET /jobs?assetId=), one request per asset a round, a round every {@code every} ms and
 * never two at once, until each follower says it is done; {@link #stop} ends it (a view's cleanup).
 */
export class JobWatch {
  constructor(every = 1000) {
    this.every = every;
    this.followers = new Map();
    this.timer = null;
    this.busy = false;
    this.stopped = false;
  }

  /** {@code onJobs(jobs)} gets the asset's jobs, newest first, each round; it returns true when done following. */
  follow(assetId, onJobs, limit = 1) {
    this.followers.set(assetId, { onJobs, limit });
    this.schedule(0);
  }

  schedule(delay) {
    if (this.stopped || this.timer || this.busy || !this.followers.size) {
      return;
    }
    this.timer = setTimeout(() => this.round(), delay);
  }

  async round() {
    this.timer = null;
    this.busy = true;
    try {
      await Promise.all([...this.followers].map(async ([assetId, follower]) => {
        try {
          const page = await api(`/jobs?assetId=${encodeURIComponent(assetId)}&limit=${follower.limit}`);
          if (!this.stopped && await follower.onJobs(page.items || [])) {
            this.followers.delete(assetId);
          }
        } catch (error) {
          if (error instanceof ApiError && error.status === 404) {
            this.followers.delete(assetId);
          }
          // anything else (the network): asked again next round
        }
      }));
    } finally {
      this.busy = false;
    }
    this.schedule(this.every);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.followers.clear();
  }
}

export async function render(main, [id]) {
  let asset;
  try {
    asset = await api(`/assets/${encodeURIComponent(id)}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      main.append(heading('Asset not found'),
        h('p', { class: 'note error', id: 'asset-missing' }, error.message),
        h('p', {}, h('a', { href: '#/assets' }, 'Back to your assets')));
      return undefined;
    }
    throw error;
  }
  const watch = new JobWatch(1500);
  const media = kindOf(asset);
  const player = h('section', { class: 'player', 'aria-label': 'Player' });
  const files = h('section', { 'aria-labelledby': 'renditions-title' });
  const facts = h('section', { 'aria-labelledby': 'metadata-title' });
  const jobs = h('section', { 'aria-labelledby': 'jobs-title' },
    h('h2', { id: 'jobs-title' }, 'Jobs'), h('p', { class: 'muted' }, 'Loading…'));
  let hls = null;
  let playing = false;

  function showAll() {
    if (!playing) {
      hls = showPlayer(player, asset, hls);
      playing = !!player.querySelector('video source, video[src], audio source, audio[src], img');
    }
    files.replaceChildren(h('h2', { id: 'renditions-title' }, 'Files'), renditionTable(asset));
    facts.replaceChildren(h('h2', { id: 'metadata-title' }, 'Metadata'), metadataList(asset));
  }

  main.append(...[heading(asset.filename || asset.id),
    h('p', { class: 'muted' }, [media, bytes(asset.size), asset.status, `added ${date(asset.createdAt)}`]
      .filter(Boolean).join(' · ')),
    player,
    media === 'image' && asset.status === 'READY' ? optionsBuilder(asset) : null,
    files, facts, jobs].filter(Boolean));
  showAll();

  let seen = null;
  watch.follow(asset.id, async list => {
    jobs.replaceChildren(h('h2', { id: 'jobs-title' }, 'Jobs'), ...(list.length ? list.map(jobCard)
      : [h('p', { class: 'muted' }, 'No jobs.')]));
    // a job fails at its first failed step while others may still run: followed until none runs any more
    const done = list.every(job => ENDED.has(job.status)
      && !(job.steps || []).some(step => step.status === 'RUNNING'));
    const fingerprint = list.map(job => [job.id, job.status, ...(job.steps || []).map(step => step.status)].join())
      .join(';');
    if (seen !== null && fingerprint !== seen) {
      // a step ended since the last look: the renditions and metadata it made are shown
      asset = await api(`/assets/${encodeURIComponent(asset.id)}`);
      showAll();
    }
    seen = fingerprint;
    return done;
  }, 20);

  return () => {
    watch.stop();
    for (const element of player.querySelectorAll('video, audio')) {
      element.pause();
    }
    for (const track of player.querySelectorAll('track')) {
      URL.revokeObjectURL(track.src);
    }
    if (hls) {
      hls.destroy();
    }
  };
}

// ------------------------------------------------------------------------------------------------------------ player

function showPlayer(section, asset, oldHls) {
  const media = kindOf(asset);
  if (media === 'image') {
    section.replaceChildren();
    if (asset.status === 'READY') {
      const picture = h('img', { class: 'image-view', alt: asset.filename || 'The image' });
      imageUrl(asset.id, 'w:1200,h:1200,fit:fit').then(answer => { picture.src = answer.url; }, showError);
      section.append(picture);
    }
    return oldHls;
  }
  if (media !== 'video' && media !== 'audio') {
    section.replaceChildren(h('p', { class: 'muted' }, 'Nothing to play.'));
    return oldHls;
  }
  const element = h(media, { controls: true, preload: 'metadata', id: 'player',
    'aria-label': `Play ${asset.filename || 'the asset'}` });
  const probe = document.createElement(media);
  // the ladder's MP4s, tallest first (the preview clip is a short loop, not the media)
  const ladder = renditions(asset, r => r.contentType === 'video/mp4' && r.name !== 'preview'
    && (media === 'video' || !r.width)).sort((a, b) => (b.height || 0) - (a.height || 0));
  const poster = renditions(asset, r => r.name === 'poster' || r.name === 'cover')[0];
  if (poster && media === 'video') {
    element.poster = poster.url;
  }
  // the original, once probing found its streams, when this browser plays its type
  const streams = asset.metadata && (asset.metadata.video || asset.metadata.audio);
  const original = streams && asset.original && asset.original.url && asset.contentType
    && probe.canPlayType(asset.contentType) ? asset.original.url : null;
  const hlsRendition = renditions(asset, r => r.name === 'hls')[0];
  let hls = null;
  if (ladder.length) {
    for (const rung of ladder) {
      element.append(h('source', { src: rung.url, type: 'video/mp4' }));
    }
  } else if (original) {
    element.append(h('source', { src: original, type: asset.contentType }));
  } else if (hlsRendition) {
    if (probe.canPlayType('application/vnd.apple.mpegurl')) {
      element.src = hlsRendition.url;
    } else {
      vendor('hls.light.min.js', 'Hls').then(Hls => {
        if (Hls && Hls.isSupported()) {
          hls = new Hls();
          hls.loadSource(hlsRendition.url);
          hls.attachMedia(element);
        }
      }, showError);
    }
  } else {
    section.replaceChildren(h('p', { class: 'muted', id: 'not-playable' }, asset.status === 'READY'
      ? 'Nothing to play yet: see its jobs below.' : 'Not uploaded yet.'));
    return oldHls;
  }
  if (oldHls) {
    oldHls.destroy();
  }
  captions(element, asset);
  const cover = media === 'audio' && poster ? h('img', { src: poster.url, alt: 'Cover art', class: 'cover' }) : null;
  const controls = ladder.length > 1 ? qualityChooser(element, ladder) : null;
  section.replaceChildren(...[cover, element, controls].filter(Boolean));
  return hls;
}

/**
 * The transcript as the player's captions, once there is one: its WebVTT fetched with the token (a track's own
 * request would carry none) and given to the track as a blob.
 */
function captions(element, asset) {
  const transcript = renditions(asset, r => r.name === 'transcript')[0];
  if (!transcript || !transcript.words) {
    return;
  }
  download(`/assets/${encodeURIComponent(asset.id)}/transcript?format=vtt`).then(({ blob }) => {
    const src = URL.createObjectURL(blob);
    element.append(h('track', { kind: 'captions', src, srclang: transcript.language || 'en',
      label: `Transcript${transcript.language ? ` (${transcript.language})` : ''}` }));
  }, () => {
    // no captions: the player plays without them
  });
}

/** A choice of rung: the player goes on from where it was. */
function qualityChooser(element, ladder) {
  const choice = h('select', { id: 'quality' }, ladder.map((rung, i) => h('option', { value: i },
    `${rung.name}${rung.width ? ` (${rung.width}×${rung.height})` : ''}`)));
  choice.addEventListener('change', () => {
    const at = element.currentTime;
    const wasPlaying = !element.paused;
    element.src = ladder[Number(choice.value)].url;
    element.addEventListener('loadedmetadata', () => {
      element.currentTime = at;
      if (wasPlaying) {
        element.play().catch(() => {});
      }
    }, { once: true });
  });
  return h('div', { class: 'row' }, h('label', { for: 'quality' }, 'Quality', choice));
}

// ---------------------------------------------------------------------------------------------- files and metadata

function renditionTable(asset) {
  const rows = [];
  if (asset.original && asset.original.url) {
    rows.push(fileRow('original', asset.contentType, null, asset.size, asset.original.url, asset.filename));
  }
  for (const r of asset.renditions || []) {
    if (r.url) {
      const name = r.seconds !== undefined && r.seconds !== null ? `${r.name} at ${duration(r.seconds)}` : r.name;
      rows.push(fileRow(name, r.contentType, r.width ? `${r.width}×${r.height}` : null, r.bytes, r.url,
        downloadName(asset, r)));
    }
  }
  if (!rows.length) {
    return h('p', { class: 'muted' }, 'No files yet.');
  }
  return h('div', { class: 'table-wrap' }, h('table', { id: 'renditions' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'File'), h('th', { scope: 'col' }, 'Type'),
      h('th', { scope: 'col' }, 'Size'), h('th', { scope: 'col' }, 'Download'))),
    h('tbody', {}, rows)));
}

function fileRow(name, type, size, length, url, filename) {
  return h('tr', { dataset: { rendition: name } },
    h('td', {}, name),
    h('td', {}, type || ''),
    h('td', {}, [size, length ? bytes(length) : null].filter(Boolean).join(' · ')),
    h('td', {}, h('a', { href: url, download: filename || name, rel: 'noopener', class: 'download',
      'aria-label': `Download ${name}` }, 'Download')));
}

/** clip.mp4's 240p rendition (derived/ID/video/240p.mp4) downloads as clip-240p.mp4. */
function downloadName(asset, rendition) {
  const base = (asset.filename || asset.id).replace(/\.[^.]+$/, '');
  return `${base}-${(rendition.key || rendition.name).split('/').pop()}`;
}

function metadataList(asset) {
  const m = asset.metadata || {};
  const video = m.video;
  const audio = m.audio;
  const width = video ? video.displayWidth : m.displayWidth || m.width;
  const height = video ? video.displayHeight : m.displayHeight || m.height;
  const facts = [
    ['Type', asset.contentType],
    ['Format', m.format],
    ['Duration', m.duration ? duration(m.duration) + ` (${Number(m.duration).toFixed(2)} s)` : null],
    ['Size', bytes(m.size || asset.size)],
    ['Dimensions', width && height ? `${width}×${height}` : null],
    ['Video', video ? `${video.codec}, ${video.width}×${video.height}` + (video.frameRate
      ? `, ${Number(video.frameRate).toFixed(2)} fps` : '') + (video.rotation ? `, rotated ${video.rotation}°` : '')
      : null],
    ['Audio', audio ? `${audio.codec}, ${audio.sampleRate} Hz, ${audio.channels} channel${audio.channels === 1 ? ''
      : 's'}` : null],
    ['Bit rate', m.bitRate ? `${Math.round(m.bitRate / 1000)} kb/s` : null],
    ['Frames', m.frames > 1 ? m.frames : null],
    ['Orientation', m.orientation > 1 ? `EXIF ${m.orientation}` : null],
    ...Object.entries(m.tags || {}).map(([key, value]) => [`Tag ${key}`, value]),
  ].filter(([, value]) => value !== null && value !== undefined && value !== '');
  return h('dl', { class: 'facts', id: 'metadata' }, facts.map(([name, value]) => [h('dt', {}, name),
    h('dd', {}, String(value))]));
}

// -------------------------------------------------------------------------------------------------------------- jobs

function jobCard(job) {
  const percent = jobPercent(job);
  const barId = `job-bar-${job.id}`;
  return h('article', { class: 'card job', dataset: { job: job.id, status: job.status } },
    h('h3', {}, `${job.operations && job.operations.length ? 'Image operations' : 'Processing'} `,
      h('span', { class: `status ${job.status}` }, job.status), ' ', h('span', { class: 'job-percent' }, `${percent}%`)),
    h('label', { for: barId, class: 'visually-hidden' }, `Progress of job ${job.id}`),
    h('progress', { id: barId, max: 100, value: percent }),
    h('p', { class: 'muted' }, `Started ${date(job.createdAt)}` + (ENDED.has(job.status) && job.updatedAt
      ? ` · ended ${date(job.updatedAt)}` : '')),
    job.error ? h('p', { class: 'note error' }, job.error) : null,
    h('div', { class: 'table-wrap' }, h('table', { class: 'steps' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Step'), h('th', { scope: 'col' }, 'Status'),
        h('th', { scope: 'col' }, 'Progress'), h('th', { scope: 'col' }, 'Tries'), h('th', { scope: 'col' }, 'Why'))),
      h('tbody', {}, (job.steps || []).map(step => h('tr', { dataset: { step: step.name, status: step.status } },
        h('td', {}, step.name),
        h('td', {}, h('span', { class: `status ${step.status}` }, step.status)),
        h('td', {}, `${step.progress}%`),
        h('td', {}, String(step.attempts || 0)),
        h('td', { class: step.error ? 'failure' : 'muted' }, step.error || step.note || '')))))));
}

// -------------------------------------------------------------------------------------------------- image options

function optionsBuilder(asset) {
  const field = (name, label, input) => h('label', { for: `image-${name}` }, label, input);
  const width = h('input', { id: 'image-width', type: 'number', min: 1, max: 8192, value: 480, inputmode: 'numeric' });
  const height = h('input', { id: 'image-height', type: 'number', min: 1, max: 8192, inputmode: 'numeric',
    placeholder: 'auto' });
  const fit = h('select', { id: 'image-fit' }, [['fit', 'Fit inside'], ['fill', 'Fill and crop'],
    ['scale', 'Stretch']].map(([value, text]) => h('option', { value }, text)));
  const format = h('select', { id: 'image-format' }, [['', 'As the browser takes'], ['jpeg', 'JPEG'], ['png', 'PNG'],
    ['webp', 'WebP'], ['avif', 'AVIF'], ['gif', 'GIF']].map(([value, text]) => h('option', { value }, text)));
  const quality = h('input', { id: 'image-quality', type: 'number', min: 1, max: 100, placeholder: 'default',
    inputmode: 'numeric' });
  const url = h('input', { id: 'image-url', readonly: true, class: 'url', 'aria-label': 'Signed image URL' });
  const copy = h('button', { type: 'button', id: 'copy-image-url', disabled: true }, 'Copy URL');
  const preview = h('img', { id: 'image-preview', alt: '', class: 'image-preview', hidden: true });
  const size = h('p', { class: 'muted', id: 'image-preview-size', 'aria-live': 'polite' });

  function options() {
    return [['w', width.value], ['h', height.value], ['fit', fit.value], ['f', format.value], ['q', quality.value]]
      .filter(([, value]) => value !== '' && value !== null).map(([key, value]) => `${key}:${value}`).join(',');
  }

  const form = h('form', { class: 'card image-options', 'aria-labelledby': 'image-options-title' },
    h('h2', { id: 'image-options-title' }, 'Image URL'),
    h('p', { class: 'muted' }, 'Choose a size and format: the signed URL serves that rendition to anyone.'),
    h('div', { class: 'row' }, field('width', 'Width (px)', width), field('height', 'Height (px)', height),
      field('fit', 'Fit', fit), field('format', 'Format', format), field('quality', 'Quality (1-100)', quality),
      h('button', { type: 'submit', class: 'primary' }, 'Make URL')),
    h('div', { class: 'row url-row' }, url, copy),
    size, preview);
  form.addEventListener('submit', event => {
    event.preventDefault();
    act(form.querySelector('button[type=submit]'), async () => {
      const chosen = options();
      const answer = await imageUrl(asset.id, chosen || '-');
      url.value = new URL(answer.url, location.origin).href;
      copy.disabled = false;
      preview.alt = `Preview of ${asset.filename || 'the image'} as ${answer.options}`;
      preview.hidden = false;
      size.textContent = 'Loading the preview…';
      preview.onload = () => {
        size.textContent = `Preview: ${preview.naturalWidth}×${preview.naturalHeight} px`;
      };
      preview.onerror = () => {
        size.textContent = 'The preview did not load.';
      };
      preview.src = answer.url;
    });
  });
  copy.addEventListener('click', () => act(copy, async () => {
    await navigator.clipboard.writeText(url.value);
    copy.textContent = 'Copied';
    setTimeout(() => { copy.textContent = 'Copy URL'; }, 2000);
  }));
  return form;
}
