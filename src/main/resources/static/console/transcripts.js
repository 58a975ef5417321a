// What the transcript editor and the paper-edit builder share: a transcript's words as a panel a person reads, plays
// from and selects phrases in (with the mouse, or the keyboard: arrows move, Shift+arrows select, Enter plays from a
// word), and the media an asset is played from.
import { h } from './ui.js';

/** "83.46" -> "1:23.4": a time precise enough to tell words apart. */
export function clock(seconds) {
  const value = Math.max(0, Number(seconds) || 0);
  const m = Math.floor(value / 60);
  const s = (value - m * 60).toFixed(1).padStart(4, '0');
  return `${m}:${s}`;
}

/**
 * Where an asset is played from: an MP4 rendition of the ladder (the smallest of at least 360 lines, else the
 * largest), else the original when the browser plays its type, else the speech audio. {kind, url} or null.
 */
export function mediaSource(asset) {
  const renditions = (asset && asset.renditions) || [];
  const ladder = renditions.filter(r => r.url && r.contentType === 'video/mp4' && r.name !== 'preview')
    .sort((a, b) => (a.height || 0) - (b.height || 0));
  if (ladder.length) {
    const pick = ladder.find(r => (r.height || 0) >= 360) || ladder[ladder.length - 1];
    return { kind: 'video', url: pick.url };
  }
  const kind = asset && asset.mediaKind === 'video' ? 'video' : 'audio';
  const probe = document.createElement(kind);
  if (asset && asset.original && asset.original.url && asset.contentType && probe.canPlayType(asset.contentType)) {
    return { kind, url: asset.original.url };
  }
  const speech = renditions.find(r => r.url && r.name === 'speech-audio');
  return speech ? { kind: 'audio', url: speech.url } : null;
}

/** The index of the word being said at {@code time}: the last one starting at or before it (-1 before the first). */
export function wordAt(words, time) {
  let low = 0;
  let high = words.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (words[middle].start <= time + 1e-3) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/**
 * A transcript's words, paragraph by paragraph, each word a focusable span. Options: label (the region's name),
 * onSeek(word, index) when a word is activated, onSelect({from, to} or null) when the selection changes,
 * paragraphTools(paragraph, index) for controls at a paragraph's head, speakerName(label).
 * Returns {element, selection(), select(from, to), highlight(time), mark(annotations, labels), focusWord(i)}.
 */
let panels = 0;
export function wordPanel(doc, options = {}) {
  const words = doc.words || [];
  const spans = [];
  const helpId = `words-help-${++panels}`;
  const region = h('div', {
    class: 'words', role: 'group', 'aria-label': options.label || 'Transcript', 'aria-describedby': helpId,
  });
  const help = h('p', { id: helpId, class: 'muted small' },
    'Click a word, or move with the arrow keys and press Enter, to play from it. Select a phrase by dragging over ',
    'it, or with Shift and the arrow keys.');
  const paragraphs = doc.paragraphs && doc.paragraphs.length ? doc.paragraphs
    : [{ start: words.length ? words[0].start : 0, fromWord: 0, toWord: words.length, speaker: null }];
  paragraphs.forEach((paragraph, p) => {
    const line = h('p', { class: 'para-words' });
    for (let i = paragraph.fromWord; i < paragraph.toWord && i < words.length; i++) {
      const span = h('span', { class: 'word', tabindex: i === 0 ? '0' : '-1', dataset: { i: String(i) } },
        words[i].word);
      spans[i] = span;
      line.append(span, ' ');
    }
    const speaker = paragraph.speaker ? (options.speakerName ? options.speakerName(paragraph.speaker)
      : paragraph.speaker) : null;
    region.append(h('div', { class: 'para', dataset: { p: String(p) } },
      h('div', { class: 'para-head' },
        speaker ? h('span', { class: 'speaker' }, speaker) : null,
        h('span', { class: 'muted small' }, clock(paragraph.start)),
        options.paragraphTools ? options.paragraphTools(paragraph, p) : null),
      line));
  });
  if (!words.length) {
    region.append(h('p', { class: 'muted' }, 'No words yet.'));
  }

  let selected = null;
  let anchor = null;
  let focused = 0;
  let playing = -1;
  let dragged = false;

  function paint() {
    for (const span of region.querySelectorAll('.word.selected')) {
      span.classList.remove('selected');
    }
    if (selected) {
      for (let i = selected.from; i < selected.to; i++) {
        spans[i].classList.add('selected');
      }
    }
  }

  function select(from, to) {
    selected = from === null || from === undefined || to <= from ? null
      : { from: Math.max(0, from), to: Math.min(words.length, to) };
    paint();
    if (options.onSelect) {
      options.onSelect(selected);
    }
  }

  function focusWord(i, take = true) {
    if (i < 0 || i >= spans.length || !spans[i]) {
      return;
    }
    spans[focused].setAttribute('tabindex', '-1');
    spans[i].setAttribute('tabindex', '0');
    focused = i;
    if (take) {
      spans[i].focus();
    }
  }

  function activate(i) {
    focusWord(i);
    anchor = i;
    select(i, i + 1);
    if (options.onSeek) {
      options.onSeek(words[i], i);
    }
  }

  region.addEventListener('click', event => {
    const span = event.target.closest('.word');
    if (!span || dragged) {
      dragged = false;
      return;
    }
    activate(Number(span.dataset.i));
  });

  region.addEventListener('mouseup', () => {
    const dom = window.getSelection();
    if (!dom || dom.isCollapsed || !dom.rangeCount) {
      return;
    }
    const range = dom.getRangeAt(0);
    if (!region.contains(range.commonAncestorContainer)) {
      return;
    }
    let from = -1;
    let to = -1;
    spans.forEach((span, i) => {
      if (span && range.intersectsNode(span) && span.textContent.length) {
        from = from < 0 ? i : from;
        to = i + 1;
      }
    });
    if (from >= 0) {
      dragged = true;
      setTimeout(() => { dragged = false; }, 0);
      dom.removeAllRanges();
      anchor = from;
      focusWord(to - 1);
      select(from, to);
    }
  });

  region.addEventListener('keydown', event => {
    const span = event.target.closest('.word');
    if (!span) {
      return;
    }
    const i = Number(span.dataset.i);
    const moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    if (event.key in moves || event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      const next = event.key === 'Home' ? 0 : event.key === 'End' ? words.length - 1
        : Math.max(0, Math.min(words.length - 1, i + moves[event.key]));
      if (event.shiftKey) {
        if (anchor === null) {
          anchor = i;
        }
        select(Math.min(anchor, next), Math.max(anchor, next) + 1);
      } else {
        anchor = null;
      }
      focusWord(next);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      activate(i);
    } else if (event.key === 'Escape') {
      anchor = null;
      select(null);
    }
  });

  return {
    element: h('div', {}, help, region),
    region,
    words,
    selection: () => selected,
    select,
    focusWord,
    focused: () => focused,
    /** Marks the word said at {@code time} as the current one (a class and aria-current), keeping it in view. */
    highlight(time) {
      const i = wordAt(words, time);
      if (i === playing) {
        return;
      }
      if (playing >= 0 && spans[playing]) {
        spans[playing].classList.remove('playing');
        spans[playing].removeAttribute('aria-current');
      }
      playing = i;
      if (i >= 0 && spans[i]) {
        spans[i].classList.add('playing');
        spans[i].setAttribute('aria-current', 'true');
        const top = spans[i].offsetTop; // the region is the words' offset parent
        if (top < region.scrollTop || top > region.scrollTop + region.clientHeight - 24) {
          region.scrollTop = Math.max(0, top - region.clientHeight / 3);
        }
      }
    },
    /** Underlines the words inside annotations in their label's colour. */
    mark(annotations, labels) {
      for (const span of spans) {
        if (span) {
          span.classList.remove('annotated');
          span.style.removeProperty('--mark');
        }
      }
      for (const note of annotations) {
        const label = labels.get(note.labelId);
        words.forEach((word, i) => {
          const middle = (word.start + word.end) / 2;
          if (middle >= note.start && middle <= note.end && spans[i]) {
            spans[i].classList.add('annotated');
            spans[i].style.setProperty('--mark', label ? label.colour : '#7a7a7a');
          }
        });
      }
    },
  };
}

/** The text of words [from, to). */
export function phrase(words, from, to) {
  return words.slice(from, to).map(w => w.word).join(' ');
}
