// The transcript editor: a transcript's words beside its media. The word being said is highlighted as it plays;
// a word clicked (or reached with the arrows and Enter) is where the player goes. A phrase selected (dragging over
// it, Shift+arrows, or Mark start / Mark end) is played, corrected (POST .../corrections: the words' timings are
// kept), annotated with a label and a note (POST /annotations) or added to a paper edit as a cut. Speakers are named
// (PUT .../speakers/{label}) and paragraphs corrected whole.
import { api } from '../api.js';
import { act, h, heading, notify } from '../ui.js';
import { clock, mediaSource, phrase, wordAt, wordPanel } from '../transcripts.js';

export async function render(main, [projectId, transcriptId]) {
  const base = `/projects/${encodeURIComponent(projectId)}`;
  const path = `${base}/transcripts/${encodeURIComponent(transcriptId)}`;
  const [project, first] = await Promise.all([api(base), api(path)]);
  const editor = project.role !== 'READ';
  let doc = first;
  let panel = null;
  let labels = new Map();
  let annotations = [];
  let player = null;
  let stopAt = null;
  let frame = 0;
  let waiting = null;
  let left = false;

  const title = heading(doc.title);
  const revision = h('p', { class: 'muted small', id: 'revision' });
  const wordsHolder = h('div', { class: 'words-holder' });
  const speakers = h('div', { class: 'speakers' });
  const notes = h('ul', { class: 'annotations plain-list' });
  const chosen = h('p', { id: 'selection-text', 'aria-live': 'polite' }, 'Nothing selected.');
  const tool = h('div', { class: 'tool-panel' });
  const mediaHolder = h('div', { class: 'player-holder' });

  // the media
  async function loadMedia() {
    let asset;
    try {
      // the project's members hear the media whoever owns it
      asset = await api(`${path}/media`);
    } catch (error) {
      mediaHolder.replaceChildren(h('p', { class: 'muted' }, 'The media of this transcript is gone, so it does not ',
        'play here; its words still do.'));
      return;
    }
    const source = mediaSource(asset);
    if (!source) {
      mediaHolder.replaceChildren(h('p', { class: 'muted' }, 'The media has nothing this browser plays yet.'));
      return;
    }
    player = h(source.kind, { controls: true, preload: 'auto', src: source.url, id: 'player',
      'aria-label': `${doc.title}, the media` });
    player.addEventListener('timeupdate', tick);
    player.addEventListener('seeked', tick);
    player.addEventListener('play', () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(loop);
    });
    mediaHolder.replaceChildren(player);
  }

  function tick() {
    if (!player) {
      return;
    }
    if (panel) {
      panel.highlight(player.currentTime);
    }
    if (stopAt !== null && player.currentTime >= stopAt) {
      player.pause();
      stopAt = null;
    }
  }

  function loop() {
    tick();
    if (player && !player.paused && !left) {
      frame = requestAnimationFrame(loop);
    }
  }

  function seek(seconds, until = null) {
    if (!player) {
      return;
    }
    player.currentTime = seconds;
    stopAt = until;
    tick();
  }

  function playRange(start, end) {
    if (player) {
      seek(start, end);
      player.play().catch(error => notify(`The media does not play: ${error.message}`, 'error'));
    }
  }

  // the words
  function speakerName(label) {
    return (doc.speakers && doc.speakers[label]) || label;
  }

  function showWords() {
    revision.textContent = `Revision ${doc.revision} of ${doc.latestRevision}, ${doc.words.length} words, `
      + `${clock(doc.duration)} long.`;
    panel = wordPanel(doc, {
      label: `Words of ${doc.title}`,
      onSeek: word => seek(word.start),
      onSelect: selected,
      speakerName,
      paragraphTools: editor ? (paragraph, p) => h('button', {
        type: 'button', class: 'link small', 'aria-label': `Correct paragraph ${p + 1}`,
        onclick: event => correctParagraph(paragraph, p, event.currentTarget),
      }, 'Correct') : null,
    });
    wordsHolder.replaceChildren(panel.element);
    panel.mark(annotations, labels);
    if (player) {
      panel.highlight(player.currentTime);
    }
    showSpeakers();
    selected(null);
  }

  function selected(range) {
    tool.replaceChildren();
    if (!range) {
      chosen.textContent = 'Nothing selected.';
      return;
    }
    const words = doc.words;
    chosen.textContent = `Selected: \u201c${phrase(words, range.from, range.to)}\u201d, `
      + `${clock(words[range.from].start)}\u2013${clock(words[range.to - 1].end)}`;
  }

  function range() {
    const selection = panel && panel.selection();
    if (!selection) {
      notify('Select a phrase first: click a word, drag over words, or use Shift and the arrow keys.');
    }
    return selection;
  }

  /** The word marks apply to: the one being played, else the one last focused. */
  function markedWord() {
    if (player && !player.paused) {
      return Math.max(0, wordAt(doc.words, player.currentTime));
    }
    return panel.focused();
  }

  function correctParagraph(paragraph, p, button) {
    const box = h('textarea', { rows: 3, 'aria-label': `Corrected text of paragraph ${p + 1}` },
      phrase(doc.words, paragraph.fromWord, paragraph.toWord));
    const line = button.closest('.para').querySelector('.para-words');
    const form = correctionForm(box, paragraph.fromWord, paragraph.toWord, () => {
      form.replaceWith(line);
      button.focus();
    });
    line.replaceWith(form);
    box.focus();
  }

  function correctionForm(box, from, to, cancel) {
    const form = h('form', {
      class: 'correction',
      onsubmit: event => {
        event.preventDefault();
        act(form.querySelector('button[type=submit]'), async () => {
          doc = await api(`${path}/corrections`, { method: 'POST', body: {
            baseRevision: doc.revision, from, to, text: box.value } });
          notify(`Saved as revision ${doc.revision}; the timings are kept.`, 'ok');
          showWords();
        });
      },
    }, box, h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, 'Save the correction'),
      h('button', { type: 'button', onclick: cancel }, 'Cancel')));
    return form;
  }

  function correctSelection() {
    const selection = range();
    if (!selection) {
      return;
    }
    const box = h('input', { id: 'correction-text', value: phrase(doc.words, selection.from, selection.to),
      'aria-label': 'Corrected text of the selection', size: 40 });
    tool.replaceChildren(h('h3', {}, 'Correct the selection'),
      correctionForm(box, selection.from, selection.to, () => tool.replaceChildren()));
    box.focus();
    box.select();
  }

  function annotateSelection() {
    const selection = range();
    if (!selection) {
      return;
    }
    const label = h('select', { id: 'annotation-label' }, h('option', { value: '' }, 'No label'),
      [...labels.values()].map(l => h('option', { value: l.id }, l.name)));
    const note = h('input', { id: 'annotation-note', maxlength: 2000, size: 30 });
    const form = h('form', {
      onsubmit: event => {
        event.preventDefault();
        act(form.querySelector('button[type=submit]'), async () => {
          await api(`${base}/annotations`, { method: 'POST', body: {
            transcriptId, start: doc.words[selection.from].start, end: doc.words[selection.to - 1].end,
            labelId: label.value || null, note: note.value.trim() || null } });
          notify('Annotated.', 'ok');
          tool.replaceChildren();
          await loadAnnotations();
        });
      },
    }, h('h3', {}, 'Annotate the selection'),
    h('div', { class: 'row' },
      h('label', { for: 'annotation-label' }, 'Label', label),
      h('label', { for: 'annotation-note' }, 'Note (optional)', note),
      h('button', { type: 'submit', class: 'primary' }, 'Save the annotation'),
      h('button', { type: 'button', onclick: () => tool.replaceChildren() }, 'Cancel')),
    labels.size ? null : h('p', { class: 'muted small' }, 'Labels are made on the ',
      h('a', { href: `#/projects/${encodeURIComponent(projectId)}` }, 'project\u2019s page'), '.'));
    tool.replaceChildren(form);
    label.focus();
  }

  async function addToEdit() {
    const selection = range();
    if (!selection) {
      return;
    }
    const edits = await api(`${base}/paper-edits`);
    const choice = h('select', { id: 'edit-choice' }, edits.map(e => h('option', { value: e.id }, e.title)),
      h('option', { value: '' }, 'A new paper edit'));
    const form = h('form', {
      onsubmit: event => {
        event.preventDefault();
        act(form.querySelector('button[type=submit]'), async () => {
          let edit = choice.value;
          if (!edit) {
            edit = (await api(`${base}/paper-edits`, { method: 'POST', body: { title: `From ${doc.title}` } })).id;
          }
          await api(`${base}/paper-edits/${encodeURIComponent(edit)}/elements`, { method: 'POST', body: {
            type: 'paper_cut', transcriptId, start: doc.words[selection.from].start,
            end: doc.words[selection.to - 1].end } });
          const href = `#/projects/${encodeURIComponent(projectId)}/edits/${encodeURIComponent(edit)}`;
          tool.replaceChildren(h('p', { class: 'note ok' }, 'Added to the paper edit. ',
            h('a', { href }, 'Open it')));
        });
      },
    }, h('h3', {}, 'Add the selection to a paper edit'),
    h('div', { class: 'row' }, h('label', { for: 'edit-choice' }, 'Paper edit', choice),
      h('button', { type: 'submit', class: 'primary' }, 'Add the cut'),
      h('button', { type: 'button', onclick: () => tool.replaceChildren() }, 'Cancel')));
    tool.replaceChildren(form);
    choice.focus();
  }

  // speakers
  function showSpeakers() {
    const found = [...new Set([...doc.words.map(w => w.speaker), ...doc.paragraphs.map(p => p.speaker)]
      .filter(Boolean))].sort();
    if (!found.length) {
      speakers.replaceChildren();
      return;
    }
    speakers.replaceChildren(h('h2', { id: 'speakers-title' }, 'Speakers'),
      ...found.map((label, n) => {
        const name = h('input', { id: `speaker-${n}`, value: (doc.speakers && doc.speakers[label]) || '',
          maxlength: 100, placeholder: label, disabled: !editor });
        const form = h('form', {
          class: 'row',
          onsubmit: event => {
            event.preventDefault();
            act(form.querySelector('button[type=submit]'), async () => {
              doc = await api(`${path}/speakers/${encodeURIComponent(label)}`, { method: 'PUT',
                body: { name: name.value.trim() || null } });
              notify(`Speaker ${label} named.`, 'ok');
              showWords();
            });
          },
        }, h('label', { for: `speaker-${n}` }, `Name of speaker ${label}`, name),
        editor ? h('button', { type: 'submit' }, 'Save the name') : null);
        return form;
      }));
  }

  // annotations
  async function loadAnnotations() {
    const [all, labelList] = await Promise.all([
      api(`${base}/annotations?transcriptId=${encodeURIComponent(transcriptId)}`), api(`${base}/labels`)]);
    annotations = all;
    labels = new Map(labelList.map(l => [l.id, l]));
    if (panel) {
      panel.mark(annotations, labels);
    }
    notes.replaceChildren(...(all.length ? all.map(note => {
      const label = labels.get(note.labelId);
      const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.backgroundColor = label ? label.colour : '#7a7a7a';
      const from = doc.words.findIndex(w => (w.start + w.end) / 2 >= note.start);
      const to = doc.words.findIndex(w => (w.start + w.end) / 2 > note.end);
      const said = from < 0 ? '' : phrase(doc.words, from, to < 0 ? doc.words.length : to);
      return h('li', { dataset: { annotation: note.id } }, swatch,
        h('strong', {}, label ? label.name : 'No label'), ` ${clock(note.start)}\u2013${clock(note.end)} `,
        said ? h('q', {}, said) : null, note.note ? h('div', { class: 'muted small' }, note.note) : null,
        h('div', { class: 'row' },
          h('button', { type: 'button', onclick: () => playRange(note.start, note.end),
            'aria-label': `Play the annotation at ${clock(note.start)}` }, 'Play'),
          editor ? h('button', {
            type: 'button', class: 'danger', 'aria-label': `Delete the annotation at ${clock(note.start)}`,
            onclick: event => act(event.currentTarget, async () => {
              await api(`${base}/annotations/${encodeURIComponent(note.id)}`, { method: 'DELETE' });
              await loadAnnotations();
            }),
          }, 'Delete') : null));
    }) : [h('li', { class: 'muted' }, 'No annotations yet.')]));
  }

  const button = (text, onclick, attributes = {}) => h('button', { type: 'button', onclick, ...attributes }, text);
  const tools = h('div', { class: 'selection-tools', role: 'group', 'aria-labelledby': 'selection-title' },
    h('h2', { id: 'selection-title' }, 'Selection'),
    chosen,
    h('div', { class: 'row' },
      button('Mark start', () => {
        const i = markedWord();
        const now = panel.selection();
        panel.select(i, now && now.to > i ? now.to : i + 1);
      }, { id: 'mark-start' }),
      button('Mark end', () => {
        const i = markedWord();
        const now = panel.selection();
        panel.select(now && now.from <= i ? now.from : i, i + 1);
      }, { id: 'mark-end' }),
      button('Play the selection', () => {
        const selection = range();
        if (selection) {
          playRange(doc.words[selection.from].start, doc.words[selection.to - 1].end);
        }
      }, { id: 'play-selection' }),
      editor ? button('Correct', correctSelection, { id: 'correct-selection' }) : null,
      editor ? button('Annotate', annotateSelection, { id: 'annotate-selection' }) : null,
      editor ? button('Add to paper edit', () => addToEdit().catch(error => notify(error.message, 'error')),
        { id: 'add-to-edit' }) : null,
      button('Clear', () => panel.select(null), { id: 'clear-selection' })),
    tool);

  main.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/projects' }, 'Projects'), ' / ',
      h('a', { href: `#/projects/${encodeURIComponent(projectId)}` }, project.name)),
    title, revision,
    h('div', { class: 'editor' },
      h('div', { class: 'editor-media' }, mediaHolder, tools),
      h('section', { class: 'editor-words', 'aria-labelledby': 'words-title' },
        h('h2', { id: 'words-title' }, 'Words'), wordsHolder, speakers,
        h('h2', {}, 'Annotations'), notes)));

  async function whenReady() {
    if (left) {
      return;
    }
    doc = await api(path);
    if (doc.status === 'IN_PROGRESS') {
      waiting = setTimeout(() => whenReady().catch(() => {}), 3000);
      return;
    }
    showWords();
    panel.mark(annotations, labels);
  }

  await Promise.all([loadMedia(), loadAnnotations()]);
  if (doc.status === 'IN_PROGRESS') {
    wordsHolder.replaceChildren(h('p', { class: 'muted' }, 'Waiting for the speech to text of the media\u2026'));
    waiting = setTimeout(() => whenReady().catch(() => {}), 3000);
  } else if (doc.status === 'ERROR') {
    wordsHolder.replaceChildren(h('p', { class: 'note error' }, `No words: ${doc.error || 'the transcript failed'}`));
  } else {
    showWords();
  }
  return () => {
    left = true;
    clearTimeout(waiting);
    cancelAnimationFrame(frame);
    if (player) {
      player.pause();
      player.removeAttribute('src');
      player.load();
    }
  };
}
