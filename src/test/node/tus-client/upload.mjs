// Uploads a file to Caravan with tus-js-client, as a Node app would: chunks of 5 MiB.
//   node upload.mjs <endpoint> <token> <file> <type> stop-after=<bytes>   exits (as if killed) once that many bytes
//                                                                         were sent, after printing the upload URL
//   node upload.mjs <endpoint> <token> <file> <type> resume=<upload URL>  goes on with that upload to its end
// Prints one JSON line per event: {"uploadUrl": ...}, {"resumedFrom": ...}, {"done": ...}; exits 1 on an error.
import fs from 'node:fs';
import path from 'node:path';
import * as tus from 'tus-js-client';

const [endpoint, token, file, type, mode] = process.argv.slice(2);
const [action, value] = mode.split(/=(.*)/s);
const size = fs.statSync(file).size;
const say = (event) => process.stdout.write(JSON.stringify(event) + '\n');

const upload = new tus.Upload(fs.createReadStream(file), {
  endpoint,
  uploadUrl: action === 'resume' ? value : null,
  chunkSize: 5 * 1024 * 1024,
  uploadSize: size,
  headers: { Authorization: `Bearer ${token}` },
  metadata: { filename: path.basename(file), filetype: type },
  retryDelays: [200, 500, 1000, 2000, 4000],
  storeFingerprintForResuming: false,
  removeFingerprintOnSuccess: false,
  onUploadUrlAvailable() {
    say({ uploadUrl: upload.url });
  },
  onProgress(sent) {
    if (action === 'stop-after' && sent >= Number(value)) {
      say({ stoppedAt: sent });
      // the process dies mid-request, as a closed laptop or a killed tab would
      process.exit(0);
    }
  },
  onChunkComplete(chunk, accepted) {
    say({ accepted });
  },
  onError(error) {
    process.stderr.write(String(error) + '\n');
    process.exit(1);
  },
  onSuccess() {
    say({ done: upload.url });
  },
});

if (action === 'resume') {
  // the offset the server reports is where tus-js-client goes on from
  fetch(value, { method: 'HEAD', headers: { Authorization: `Bearer ${token}`, 'Tus-Resumable': '1.0.0' } })
    .then((r) => say({ resumedFrom: Number(r.headers.get('upload-offset')) }))
    .then(() => upload.start());
} else {
  upload.start();
}
