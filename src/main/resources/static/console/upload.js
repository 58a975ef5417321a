// Uploads through Caravan's tus 1.0 endpoint (/api/v1/tus) with tus-js-client: the file goes in chunks of one S3 part
// (the server writes each PATCH into parts of 5 MiB), a dropped connection is retried and resumed from the offset the
// server has, and a file dropped again after the page was closed mid-way resumes where it stopped (the upload's URL
// is kept in localStorage until it finishes). The server names the asset an upload fills in X-Caravan-Asset-Id.
import { API, token } from './api.js';
import { vendor } from './ui.js';

/** One S3 part: the server's part size (routes.tus.TusUploads.PART_SIZE), so a PATCH fills whole parts. */
export const CHUNK_SIZE = 5 * 1024 * 1024;
/** Waits before each retry of a failed request, ms; after the last, the upload fails. */
export const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000];
const ASSET_HEADER = 'X-Caravan-Asset-Id';

/**
 * Starts uploading {@code file}. {@code onProgress(sent, total)} follows its bytes, {@code onAsset(id)} is called once
 * the server names its asset. Returns {done: Promise of the asset id, abort()}.
 */
export function upload(file, { onProgress = () => {}, onAsset = () => {} } = {}) {
  let tusUpload = null;
  let aborted = false;
  let assetId = null;
  let cancelled = () => {};
  const done = vendor('tus.min.js', 'tus').then(tus => new Promise((resolve, reject) => {
    cancelled = () => reject(new Error(`${file.name}: upload stopped`));
    if (aborted) {
      cancelled();
      return;
    }
    tusUpload = new tus.Upload(file, {
      endpoint: API + '/tus',
      chunkSize: CHUNK_SIZE,
      retryDelays: RETRY_DELAYS,
      metadata: { filename: file.name, filetype: file.type || guessType(file.name) },
      removeFingerprintOnSuccess: true,
      // the token of the moment, so an upload longer than one token's life goes on
      onBeforeRequest: async request => {
        request.setHeader('Authorization', 'Bearer ' + await token());
      },
      onAfterResponse: (request, response) => {
        const named = response.getHeader(ASSET_HEADER);
        if (named && named !== assetId) {
          assetId = named;
          onAsset(named);
        }
      },
      onProgress,
      onSuccess: () => (assetId ? resolve(assetId) : reject(new Error(`${file.name}: the server named no asset`))),
      onError: error => reject(new Error(explain(file, error))),
    });
    tusUpload.findPreviousUploads().then(previous => {
      if (aborted) {
        return;
      }
      if (previous.length) {
        tusUpload.resumeFromPreviousUpload(previous[0]);
      }
      tusUpload.start();
    }, reject);
  }));
  return {
    done,
    /** Stops the upload; {@code terminate} drops what the server has too (else a later drop of the file resumes). */
    abort(terminate = true) {
      aborted = true;
      if (tusUpload) {
        tusUpload.abort(terminate).catch(() => {});
      }
      cancelled();
    },
  };
}

/** The problem+json's detail of a refused upload (415, 413...), or what the client says went wrong. */
function explain(file, error) {
  const response = error && error.originalResponse;
  if (response) {
    try {
      const problem = JSON.parse(response.getBody());
      if (problem && (problem.detail || problem.title)) {
        return `${file.name}: ${problem.detail || problem.title}`;
      }
    } catch (ignored) {
      // not problem+json: the client's own message follows
    }
  }
  return `${file.name}: ${error && error.message ? error.message.split('\n')[0] : 'the upload failed'}`;
}

/** A media type for a file the browser could not type, from its extension (the server checks the bytes' kind). */
function guessType(name) {
  const extension = (/\.([a-z0-9]+)$/i.exec(name) || [])[1];
  const types = {
    mp4: 'video/mp4', m4v: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm', mkv: 'video/x-matroska',
    avi: 'video/x-msvideo', mp3: 'audio/mpeg', wav: 'audio/wav', m4a: 'audio/mp4', flac: 'audio/flac',
    ogg: 'audio/ogg', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp',
    bmp: 'image/bmp', heic: 'image/heic', tif: 'image/tiff', tiff: 'image/tiff',
  };
  return types[(extension || '').toLowerCase()] || 'application/octet-stream';
}
