// Operations (admins): every work queue with the messages waiting on it and parked on its dead-letter queue (GET
// /ops/queues), a look at a queue's dead letters (GET /ops/queues/{queue}/dead-letters) with why they were parked
// (the failure their job recorded), and redrive, which moves them back to their queue once the cause is fixed (POST
// /ops/queues/{queue}/redrive). Anyone else is told the page is for administrators (the API answers 403).
import { api } from '../api.js';
import { act, date, h, heading, notify } from '../ui.js';

const REFRESH_MS = 10_000;

export async function render(main) {
  const rows = h('tbody', { id: 'queue-rows' });
  const letters = h('section', { id: 'dead-letters', 'aria-live': 'polite' });
  const updated = h('span', { class: 'muted', id: 'queues-updated' });
  let timer = null;
  let gone = false;

  main.append(heading('Operations'));
  let queues;
  try {
    queues = await api('/ops/queues');
  } catch (error) {
    if (error.status === 403) {
      main.append(h('p', { class: 'note error', id: 'ops-refused', role: 'status' },
        'Only administrators see the queues and their dead letters. ',
        'Ask one of them if something seems stuck.'));
      return undefined;
    }
    throw error;
  }

  function show(list) {
    rows.replaceChildren(...list.map(queue => h('tr', { dataset: { queue: queue.queue } },
      h('th', { scope: 'row' }, queue.queue),
      h('td', { dataset: { count: 'messages' } }, String(queue.messages)),
      h('td', { dataset: { count: 'dead-letters' }, class: queue.deadLetters > 0 ? 'alarm' : null },
        String(queue.deadLetters)),
      h('td', {}, h('div', { class: 'row tight' },
        h('button', {
          type: 'button', 'aria-label': `Dead letters of ${queue.queue}`,
          onclick: event => act(event.currentTarget, () => look(queue.queue)),
        }, 'Dead letters'),
        h('button', {
          type: 'button', class: 'primary', disabled: queue.deadLetters === 0,
          'aria-label': `Redrive ${queue.queue}`,
          onclick: event => act(event.currentTarget, () => redrive(queue.queue)),
        }, 'Redrive'))))));
    updated.textContent = `As of ${new Date().toLocaleTimeString()}.`;
  }

  async function refresh() {
    show(await api('/ops/queues'));
  }

  function schedule() {
    clearTimeout(timer);
    if (!gone) {
      timer = setTimeout(() => refresh().catch(() => {}).finally(schedule), REFRESH_MS);
    }
  }

  async function redrive(queue) {
    const moved = await api(`/ops/queues/${encodeURIComponent(queue)}/redrive`, { method: 'POST' });
    notify(`${moved.moved} message${moved.moved === 1 ? '' : 's'} moved back to ${queue}.`, 'ok');
    await refresh();
    if (letters.dataset.queue === queue) {
      await look(queue);
    }
  }

  async function look(queue) {
    const parked = await api(`/ops/queues/${encodeURIComponent(queue)}/dead-letters`);
    letters.dataset.queue = queue;
    const reasons = await Promise.all(parked.map(reason));
    letters.replaceChildren(
      h('h2', { id: 'dead-letters-title' }, `Dead letters of ${queue}`),
      parked.length ? h('p', { class: 'muted' }, `${parked.length === 1 ? 'One message' : `${parked.length} messages`} `
        + '(a look at 10 at most); they stay parked until redriven.')
        : h('p', { class: 'muted' }, 'None parked.'),
      h('ul', { class: 'dead-letters', 'aria-labelledby': 'dead-letters-title' }, parked.map((letter, i) =>
        h('li', { class: 'card', dataset: { message: letter.messageId } },
          h('p', { class: 'reason' }, h('strong', {}, 'Why: '), reasons[i]),
          h('p', { class: 'muted' }, [letter.receiveCount === '1' ? 'received once' : `received ${letter.receiveCount || '?'} times`,
            letter.sentTimestamp ? `sent ${date(new Date(Number(letter.sentTimestamp)).toISOString())}` : null,
            `message ${letter.messageId}`].filter(Boolean).join(' · ')),
          Object.keys(letter.attributes || {}).length ? h('dl', { class: 'attributes' },
            Object.entries(letter.attributes).map(([name, value]) => h('div', {}, h('dt', {}, name),
              h('dd', {}, value)))) : null,
          h('details', {}, h('summary', {}, 'The message'), h('pre', { class: 'message-body' }, pretty(letter.body)))))));
    letters.querySelector('h2').setAttribute('tabindex', '-1');
    letters.querySelector('h2').focus();
  }

  // Why a message was parked: the failure its job recorded, when it names one.
  async function reason(letter) {
    const jobId = (letter.attributes || {}).jobId || field(letter.body, 'jobId');
    if (!jobId) {
      return 'not told: the message names no job. Its receives ran out.';
    }
    try {
      const job = await api(`/jobs/${encodeURIComponent(jobId)}`);
      const failed = (job.steps || []).filter(step => step.error).map(step => `${step.name}: ${step.error}`);
      return job.error || failed.join('; ') || `its job ${jobId} is ${String(job.status).toLowerCase()}, with no failure recorded.`;
    } catch (error) {
      return error.status === 404 ? `its job ${jobId} no longer exists.` : `its job ${jobId} could not be read.`;
    }
  }

  function field(body, name) {
    try {
      const value = JSON.parse(body);
      return value && typeof value === 'object' && typeof value[name] === 'string' ? value[name] : null;
    } catch {
      return null;
    }
  }

  function pretty(body) {
    try {
      return JSON.stringify(JSON.parse(body), null, 2);
    } catch {
      return body;
    }
  }

  main.append(
    h('p', { class: 'muted' }, 'Each work queue, what waits on it, and what was parked on its dead-letter queue ',
      'after failing. Redrive moves parked messages back once their cause is fixed.'),
    h('div', { class: 'row' }, h('button', { type: 'button', id: 'refresh-queues',
      onclick: event => act(event.currentTarget, refresh) }, 'Refresh'), updated),
    h('div', { class: 'table-wrap' }, h('table', { id: 'queues' },
      h('caption', { class: 'visually-hidden' }, 'Work queues'),
      h('thead', {}, h('tr', {}, ['Queue', 'Waiting', 'Dead letters'].map(t => h('th', { scope: 'col' }, t)),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
      rows)),
    letters);
  show(queues);
  schedule();
  return () => {
    gone = true;
    clearTimeout(timer);
  };
}
