// The paper-edit builder: a programme script of cuts from the project's transcripts, with titles, voice-over and
// notes between them. A phrase selected in a transcript is dragged into the script (or added with "Add to script");
// elements are dragged to reorder (or moved with Move up / Move down) and removed. The script plays in order in one
// player; it is exported (EDL, FCPXML, xmeml, ADL, DOCX, text) and rendered as a rough cut, the job followed live.
import { api, download } from '../api.js';
import { act, h, heading, notify, saveBlob } from '../ui.js';
import { clock, mediaSource, phrase, wordPanel } from '../transcripts.js';

const CUT = 'application/x-caravan-cut';
const ELEMENT = 'application/x-caravan-element';
const KINDS = { TITLE: 'Title', VOICE_OVER: 'Voice-over', NOTE: 'Note', PAPER_CUT: 'Cut' };

export async function render(main, [projectId, editId]) {
  const base = `/projects/${encodeURIComponent(projectId)}`;
  const path = `${base}/paper-edits/${encodeURIComponent(editId)}`;
  const [project, first, transcripts] = await Promise.all([api(base), api(path), api(`${base}/transcripts`)]);
  const editor = project.role !== 'READ';
  let edit = first;
  let source = null; // the transcript shown in the panel: {summary, doc, panel}
  let polling = null;
  let left = false;
  const sources = new Map(); // transcript id -> its media, {kind, url} or null

  const script = h('ol', { class: 'script', id: 'script', 'aria-labelledby': 'script-title' });
  const running = h('p', { class: 'muted small', id: 'running-time' });
  const holder = h('div', { class: 'words-holder' });
  const chip = h('div', { class: 'cut-chip', draggable: 'true', id: 'selection-chip', hidden: true });
  const player = h('video', { controls: true, preload: 'auto', id: 'player', class: 'sequence-player',
    'aria-label': 'The paper edit, played in order' });
  const nowPlaying = h('p', { class: 'muted small', 'aria-live': 'polite', id: 'now-playing' });

  // ---- the script
  function show(view, focus) {
    edit = view;
    const elements = edit.elements;
    const cuts = elements.filter(e => e.type === 'PAPER_CUT').length;
    running.textContent = `${elements.length} element${elements.length === 1 ? '' : 's'}, ${cuts} cut${cuts === 1
      ? '' : 's'}, running ${clock(edit.cutSeconds)}.`;
    script.replaceChildren(...(elements.length ? elements.map(item) : [h('li', { class: 'muted empty' },
      'The script is empty: drag a selection here, or use \u201cAdd to script\u201d.')]));
    if (focus) {
      const again = script.querySelector(`[data-element="${CSS.escape(focus.id)}"] .${focus.control}`);
      (again && !again.disabled ? again : script.querySelector(`[data-element="${CSS.escape(focus.id)}"] button`)
        || script).focus();
    }
  }

  function name(element, n) {
    return element.type === 'PAPER_CUT' ? `cut ${n + 1}` : `${KINDS[element.type].toLowerCase()} ${n + 1}`;
  }

  function item(element, n, all) {
    const label = name(element, n);
    const body = element.type === 'PAPER_CUT'
      ? [h('div', { class: 'element-head' }, h('strong', {}, 'Cut'), ` from ${element.transcriptTitle || 'a removed transcript'}, `,
        `${clock(element.start)}\u2013${clock(element.end)}`, element.speaker ? ` \u00b7 ${element.speaker}` : ''),
      h('blockquote', {}, element.words || '')]
      : [h('div', { class: 'element-head' }, h('strong', {}, KINDS[element.type])), h('p', {}, element.text)];
    const move = (by, control) => act(null, async () => {
      show(await api(`${path}/elements/${encodeURIComponent(element.id)}`, { method: 'PATCH',
        body: { position: n + by } }), { id: element.id, control });
    });
    const tools = editor ? h('div', { class: 'row element-tools' },
      element.type === 'PAPER_CUT' ? h('button', { type: 'button', class: 'play-cut', 'aria-label': `Play ${label}`,
        onclick: () => playSequence(n) }, 'Play') : null,
      h('button', { type: 'button', class: 'move-up', 'aria-label': `Move up: ${label}`, disabled: n === 0,
        onclick: () => move(-1, 'move-up') }, 'Move up'),
      h('button', { type: 'button', class: 'move-down', 'aria-label': `Move down: ${label}`,
        disabled: n === all.length - 1, onclick: () => move(1, 'move-down') }, 'Move down'),
      h('button', { type: 'button', class: 'danger remove', 'aria-label': `Remove ${label}`,
        onclick: event => act(event.currentTarget, async () => {
          show(await api(`${path}/elements/${encodeURIComponent(element.id)}`, { method: 'DELETE' }));
          notify(`Removed ${label}.`, 'ok');
          script.focus();
        }) }, 'Remove')) : null;
    const li = h('li', { class: `element ${element.type.toLowerCase()}`, draggable: editor ? 'true' : null,
      dataset: { element: element.id, type: element.type } }, body, tools);
    if (editor) {
      li.addEventListener('dragstart', event => {
        if (event.target !== li) {
          return;
        }
        event.dataTransfer.setData(ELEMENT, element.id);
        event.dataTransfer.setData('text/plain', element.words || element.text || '');
        event.dataTransfer.effectAllowed = 'move';
        li.classList.add('dragging');
      });
      li.addEventListener('dragend', () => li.classList.remove('dragging'));
    }
    return li;
  }

  /** Where a drop at {@code y} goes: before the first element whose middle is below it, else the end. */
  function dropPosition(y) {
    const items = [...script.querySelectorAll('li.element')];
    const at = items.findIndex(li => {
      const box = li.getBoundingClientRect();
      return y < box.top + box.height / 2;
    });
    return at < 0 ? items.length : at;
  }

  function clearMarker() {
    for (const marked of script.querySelectorAll('.drop-before')) {
      marked.classList.remove('drop-before');
    }
    script.classList.remove('drop-end', 'drop-target');
  }

  if (editor) {
    script.addEventListener('dragover', event => {
      const types = [...event.dataTransfer.types];
      if (!types.includes(CUT) && !types.includes(ELEMENT)) {
        return;
      }
      event.preventDefault();
      event.dataTransfer.dropEffect = types.includes(CUT) ? 'copy' : 'move';
      clearMarker();
      script.classList.add('drop-target');
      const at = dropPosition(event.clientY);
      const items = script.querySelectorAll('li.element');
      if (at < items.length) {
        items[at].classList.add('drop-before');
      } else {
        script.classList.add('drop-end');
      }
    });
    script.addEventListener('dragleave', event => {
      if (!script.contains(event.relatedTarget)) {
        clearMarker();
      }
    });
    script.addEventListener('drop', event => {
      event.preventDefault();
      clearMarker();
      const at = dropPosition(event.clientY);
      const cut = event.dataTransfer.getData(CUT);
      const moved = event.dataTransfer.getData(ELEMENT);
      act(null, async () => {
        if (cut) {
          const { transcriptId, start, end } = JSON.parse(cut);
          show(await api(`${path}/elements`, { method: 'POST', body: { type: 'paper_cut', transcriptId, start, end,
            position: at } }));
          notify('Cut added to the script.', 'ok');
        } else if (moved) {
          const from = edit.elements.findIndex(e => e.id === moved);
          const to = from >= 0 && from < at ? at - 1 : at;
          if (from >= 0 && to !== from) {
            show(await api(`${path}/elements/${encodeURIComponent(moved)}`, { method: 'PATCH',
              body: { position: to } }));
          }
        }
      });
    });
  }

  // ---- a transcript to cut from
  const choice = h('select', { id: 'source-transcript' },
    h('option', { value: '' }, transcripts.length ? 'Choose a transcript\u2026' : 'The project has no transcripts'),
    transcripts.filter(t => t.status === 'DONE').map(t => h('option', { value: t.id }, t.title)));
  choice.addEventListener('change', () => act(choice, () => showSource(choice.value)));

  async function showSource(transcriptId) {
    source = null;
    chip.hidden = true;
    if (!transcriptId) {
      holder.replaceChildren();
      return;
    }
    const doc = await api(`${base}/transcripts/${encodeURIComponent(transcriptId)}`);
    const panel = wordPanel(doc, {
      label: `Words of ${doc.title}`,
      onSelect: chosen,
      speakerName: label => (doc.speakers && doc.speakers[label]) || label,
    });
    source = { doc, panel };
    holder.replaceChildren(panel.element);
    chosen(null);
  }

  function selectedCut() {
    const range = source && source.panel.selection();
    if (!range) {
      return null;
    }
    const words = source.doc.words;
    return { transcriptId: source.doc.id, start: words[range.from].start, end: words[range.to - 1].end,
      text: phrase(words, range.from, range.to) };
  }

  function chosen(range) {
    const cut = range ? selectedCut() : null;
    addCut.disabled = !cut;
    previewCut.disabled = !cut;
    chip.hidden = !cut;
    chip.replaceChildren(...(cut ? [h('span', { 'aria-hidden': 'true', class: 'grip' }, '\u2807'),
      `\u201c${cut.text}\u201d ${clock(cut.start)}\u2013${clock(cut.end)}`] : []));
    chip.setAttribute('aria-label', cut ? `Selection: ${cut.text}. Drag it into the script, or use Add to script.`
      : 'No selection');
  }

  chip.addEventListener('dragstart', event => {
    const cut = selectedCut();
    if (!cut) {
      event.preventDefault();
      return;
    }
    event.dataTransfer.setData(CUT, JSON.stringify(cut));
    event.dataTransfer.setData('text/plain', cut.text);
    event.dataTransfer.effectAllowed = 'copy';
  });

  const addCut = h('button', { type: 'button', class: 'primary', id: 'add-to-script', disabled: true,
    onclick: event => act(event.currentTarget, async () => {
      const cut = selectedCut();
      if (cut) {
        show(await api(`${path}/elements`, { method: 'POST', body: { type: 'paper_cut',
          transcriptId: cut.transcriptId, start: cut.start, end: cut.end } }));
        notify('Cut added to the end of the script.', 'ok');
        source.panel.select(null);
      }
    }) }, 'Add to script');
  const previewCut = h('button', { type: 'button', id: 'preview-selection', disabled: true,
    onclick: () => {
      const cut = selectedCut();
      if (cut) {
        playCuts([cut], -1);
      }
    } }, 'Play the selection');

  // ---- titles, voice-over, notes
  const kind = h('select', { id: 'element-kind' }, h('option', { value: 'title' }, 'Title'),
    h('option', { value: 'voice_over' }, 'Voice-over'), h('option', { value: 'note' }, 'Note'));
  const text = h('input', { id: 'element-text', required: true, maxlength: 10000, size: 30 });
  const addText = h('form', {
    class: 'row', 'aria-label': 'Add a title, voice-over or note',
    onsubmit: event => {
      event.preventDefault();
      act(addText.querySelector('button[type=submit]'), async () => {
        show(await api(`${path}/elements`, { method: 'POST', body: { type: kind.value, text: text.value.trim() } }));
        text.value = '';
      });
    },
  }, h('label', { for: 'element-kind' }, 'Kind', kind), h('label', { for: 'element-text' }, 'Text', text),
  h('button', { type: 'submit' }, 'Add to script'));

  // ---- playing the script in order, in one player
  let queue = [];
  let at = -1;
  let stopAt = null;
  let switching = false;
  let frame = 0;

  async function mediaOf(transcriptId) {
    if (!sources.has(transcriptId)) {
      const summary = transcripts.find(t => t.id === transcriptId)
        || (await api(`${base}/transcripts`)).find(t => t.id === transcriptId);
      let media = null;
      if (summary) {
        try {
          media = mediaSource(await api(`${base}/transcripts/${encodeURIComponent(transcriptId)}/media`));
        } catch (error) {
          media = null;
        }
      }
      sources.set(transcriptId, media);
    }
    return sources.get(transcriptId);
  }

  function markPlaying(index) {
    for (const li of script.querySelectorAll('li.element')) {
      li.classList.remove('playing');
      li.removeAttribute('aria-current');
    }
    const li = index >= 0 ? script.querySelector(`[data-element="${CSS.escape(edit.elements[index].id)}"]`) : null;
    if (li) {
      li.classList.add('playing');
      li.setAttribute('aria-current', 'true');
    }
  }

  /** Plays cuts one after the other; each is {transcriptId, start, end, index (in the script, or -1)}. */
  function playCuts(cuts) {
    queue = cuts;
    at = -1;
    next().catch(error => notify(error.message, 'error'));
  }

  async function next() {
    at++;
    if (at >= queue.length || left) {
      stop();
      return;
    }
    const cut = queue[at];
    const media = await mediaOf(cut.transcriptId);
    if (!media) {
      notify('A cut\u2019s media does not play here; it is skipped.');
      return next();
    }
    switching = true;
    if (player.dataset.src !== media.url) {
      player.dataset.src = media.url;
      player.src = media.url;
      await new Promise((resolve, reject) => {
        player.addEventListener('loadedmetadata', resolve, { once: true });
        player.addEventListener('error', () => reject(new Error('The media did not load.')), { once: true });
      });
    }
    player.currentTime = cut.start;
    stopAt = cut.end;
    markPlaying(cut.index === undefined ? -1 : cut.index);
    nowPlaying.textContent = cut.index >= 0 ? `Playing ${at + 1} of ${queue.length}: ${clock(cut.start)}\u2013`
      + `${clock(cut.end)}` : `Playing the selection, ${clock(cut.start)}\u2013${clock(cut.end)}`;
    switching = false;
    await player.play();
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(watch);
  }

  function watch() {
    if (left || stopAt === null) {
      return;
    }
    if (!switching && player.currentTime >= stopAt) {
      stopAt = null;
      player.pause();
      next().catch(error => notify(error.message, 'error'));
      return;
    }
    frame = requestAnimationFrame(watch);
  }

  function stop() {
    stopAt = null;
    queue = [];
    cancelAnimationFrame(frame);
    player.pause();
    markPlaying(-1);
    nowPlaying.textContent = '';
  }

  function playSequence(from = 0) {
    const cuts = edit.elements.map((e, index) => ({ ...e, index }))
      .filter(e => e.type === 'PAPER_CUT' && e.index >= from)
      .map(e => ({ transcriptId: e.transcriptId, start: e.start, end: e.end, index: e.index }));
    if (!cuts.length) {
      notify('The script has no cut to play.');
      return;
    }
    playCuts(cuts);
  }

  // ---- exports and the rough cut
  const format = h('select', { id: 'export-format' },
    [['edl', 'EDL (CMX3600)'], ['fcpxml', 'FCPXML (Final Cut Pro X, Resolve)'], ['xmeml', 'xmeml (Premiere Pro)'],
      ['adl', 'ADL (AES31, audio editors)'], ['docx', 'Word document (the script)'], ['txt', 'Text (the script)']]
      .map(([value, text]) => h('option', { value }, text)));
  const exportButton = h('button', { type: 'button', id: 'export', onclick: event => act(event.currentTarget, async () => {
    const file = await download(`${path}/export?format=${encodeURIComponent(format.value)}`);
    saveBlob(file.blob, file.filename || `paper-edit.${format.value}`);
    notify(`Exported as ${file.filename || format.value}.`, 'ok');
  }) }, 'Download');

  const renderFormat = h('select', { id: 'render-format' }, h('option', { value: 'mp4' }, 'MP4 video'),
    h('option', { value: 'wav' }, 'WAV audio'), h('option', { value: 'mp3' }, 'MP3 audio'));
  const progress = h('progress', { id: 'render-progress', max: '100', value: '0', 'aria-label': 'Rough cut progress',
    hidden: true });
  const renderState = h('p', { id: 'render-state', 'aria-live': 'polite' });
  const renderButton = h('button', { type: 'button', id: 'render', class: 'primary',
    onclick: event => act(event.currentTarget, async () => {
      const job = await api(`${path}/renders`, { method: 'POST', body: { format: renderFormat.value } });
      follow(job.id);
    }) }, 'Render the rough cut');

  function follow(jobId) {
    clearTimeout(polling);
    progress.hidden = false;
    const look = async () => {
      if (left) {
        return;
      }
      let job;
      try {
        job = await api(`/jobs/${encodeURIComponent(jobId)}`);
      } catch (error) {
        renderState.textContent = `The rough cut's job could not be read: ${error.message}`;
        return;
      }
      progress.value = job.progress;
      const output = job.status === 'SUCCEEDED' && job.steps[0] && job.steps[0].outputs[0];
      renderState.replaceChildren(`${job.status.toLowerCase()}, ${job.progress}%`,
        job.status === 'FAILED' ? `: ${job.error || (job.steps[0] && job.steps[0].error) || 'it failed'}` : '',
        output && output.url ? h('span', {}, ' \u00b7 ', h('a', { href: output.url, id: 'render-result',
          download: `rough-cut.${renderFormat.value}` }, 'Download the rough cut')) : '');
      if (!['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status) && !left) {
        polling = setTimeout(look, 1000);
      }
    };
    look();
  }

  // ---- the page
  main.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/projects' }, 'Projects'), ' / ',
      h('a', { href: `#/projects/${encodeURIComponent(projectId)}` }, project.name)),
    heading(edit.title),
    edit.description ? h('p', { class: 'muted' }, edit.description) : null,
    h('div', { class: 'builder' },
      editor ? h('section', { class: 'builder-source', 'aria-labelledby': 'source-title' },
        h('h2', { id: 'source-title' }, 'Cut from a transcript'),
        h('label', { for: 'source-transcript' }, 'Transcript', choice),
        holder,
        h('div', { class: 'row' }, chip),
        h('div', { class: 'row' }, addCut, previewCut)) : null,
      h('section', { class: 'builder-script', 'aria-labelledby': 'script-title' },
        player, nowPlaying,
        h('div', { class: 'row' },
          h('button', { type: 'button', id: 'play-sequence', onclick: () => playSequence(0) }, 'Play the script'),
          h('button', { type: 'button', id: 'stop-sequence', onclick: stop }, 'Stop')),
        h('h2', { id: 'script-title' }, 'Script'), running, script,
        editor ? addText : null,
        h('h2', {}, 'Export'),
        h('div', { class: 'row' }, h('label', { for: 'export-format' }, 'Format', format), exportButton),
        h('h2', {}, 'Rough cut'),
        h('div', { class: 'row' }, h('label', { for: 'render-format' }, 'Format', renderFormat), renderButton),
        progress, renderState)));
  script.setAttribute('tabindex', '-1');
  show(edit);
  if (transcripts.length === 1 && transcripts[0].status === 'DONE' && editor) {
    choice.value = transcripts[0].id;
    await showSource(transcripts[0].id);
  }
  return () => {
    left = true;
    clearTimeout(polling);
    cancelAnimationFrame(frame);
    player.pause();
    player.removeAttribute('src');
    player.load();
  };
}
