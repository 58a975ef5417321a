// A project: its name and description, its transcripts (one added from an asset of the person's that has a
// transcript), its members and their roles, its labels (named, coloured) and its paper edits.
import { api } from '../api.js';
import { act, date, h, heading, notify } from '../ui.js';

export async function render(main, [id]) {
  const base = `/projects/${encodeURIComponent(id)}`;
  let project = await api(base);
  const editor = project.role !== 'READ';
  const owner = project.role === 'OWNER';
  const title = heading(project.name);
  const about = h('p', { class: 'muted' });
  const transcripts = h('tbody');
  const members = h('tbody');
  const labels = h('ul', { class: 'labels' });
  const edits = h('ul', { class: 'plain-list' });
  let polling = null;
  let left = false;

  function describe() {
    title.textContent = project.name;
    document.title = `${project.name} · Caravan`;
    about.replaceChildren(project.description || '', project.description ? ' · ' : '',
      `Your role: ${project.role.toLowerCase()}.`);
  }

  async function loadTranscripts() {
    const all = await api(`${base}/transcripts`);
    transcripts.replaceChildren(...(all.length ? all.map(t => h('tr', { dataset: { transcript: t.id } },
      h('td', {}, h('a', { href: `#/projects/${encodeURIComponent(id)}/transcripts/${encodeURIComponent(t.id)}` },
        t.title)),
      h('td', {}, h('span', { class: `status ${t.status === 'DONE' ? 'SUCCEEDED' : t.status === 'ERROR' ? 'FAILED' : ''}` },
        t.status === 'IN_PROGRESS' ? 'waiting for speech to text' : t.status.toLowerCase()), t.error ? ` ${t.error}` : ''),
      h('td', {}, String(t.revision)),
      h('td', {}, editor ? h('button', {
        type: 'button', class: 'danger', 'aria-label': `Remove transcript ${t.title}`,
        onclick: event => act(event.currentTarget, async () => {
          await api(`${base}/transcripts/${encodeURIComponent(t.id)}`, { method: 'DELETE' });
          await loadTranscripts();
        }),
      }, 'Remove') : ''))) : [h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'No transcripts yet.'))]));
    // one waiting for its asset's speech to text: look again (reading it imports the result once it is there)
    clearTimeout(polling);
    const waiting = all.find(t => t.status === 'IN_PROGRESS');
    if (waiting && !left) {
      polling = setTimeout(() => api(`${base}/transcripts/${encodeURIComponent(waiting.id)}`)
        .then(loadTranscripts).catch(() => {}), 3000);
    }
  }

  async function loadMembers() {
    const all = await api(`${base}/members`);
    members.replaceChildren(...all.map(m => h('tr', {},
      h('td', {}, m.user), h('td', {}, m.role.toLowerCase()), h('td', {}, date(m.since)),
      h('td', {}, owner && m.role !== 'OWNER' ? h('button', {
        type: 'button', class: 'danger', 'aria-label': `Remove member ${m.user}`,
        onclick: event => act(event.currentTarget, async () => {
          await api(`${base}/members/${encodeURIComponent(m.user)}`, { method: 'DELETE' });
          await loadMembers();
        }),
      }, 'Remove') : ''))));
  }

  async function loadLabels() {
    const all = await api(`${base}/labels`);
    labels.replaceChildren(...(all.length ? all.map(label => {
      const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.backgroundColor = label.colour;
      return h('li', {}, swatch, h('strong', {}, label.name), label.description ? ` ${label.description}` : '',
        h('span', { class: 'muted small' }, ` ${label.colour}`),
        editor ? h('button', {
          type: 'button', class: 'link danger', 'aria-label': `Delete label ${label.name}`,
          onclick: event => act(event.currentTarget, async () => {
            await api(`${base}/labels/${encodeURIComponent(label.id)}`, { method: 'DELETE' });
            await loadLabels();
          }),
        }, 'Delete') : null);
    }) : [h('li', { class: 'muted' }, 'No labels yet.')]));
  }

  async function loadEdits() {
    const all = await api(`${base}/paper-edits`);
    edits.replaceChildren(...(all.length ? all.map(e => h('li', {},
      h('a', { href: `#/projects/${encodeURIComponent(id)}/edits/${encodeURIComponent(e.id)}` }, e.title),
      h('span', { class: 'muted small' }, ` ${e.elements} element${e.elements === 1 ? '' : 's'}, ${date(e.updatedAt)}`)))
      : [h('li', { class: 'muted' }, 'No paper edits yet.')]));
  }

  /** The person's video and audio assets that have a transcript, to add one from. */
  async function transcribedAssets() {
    const found = [];
    let cursor = null;
    for (let page = 0; page < 5; page++) {
      const answer = await api(`/assets?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      found.push(...answer.items.filter(a => (a.mediaKind === 'video' || a.mediaKind === 'audio')
        && (a.renditions || []).some(r => r.name === 'transcript')));
      cursor = answer.nextCursor;
      if (!cursor) {
        break;
      }
    }
    return found;
  }

  function form(idText, titleText, fields, submitText, action) {
    const made = h('form', {
      class: 'card', 'aria-labelledby': idText,
      onsubmit: event => {
        event.preventDefault();
        act(made.querySelector('button[type=submit]'), () => action(made));
      },
    }, h('h3', { id: idText }, titleText), h('div', { class: 'row' }, fields,
      h('button', { type: 'submit', class: 'primary' }, submitText)));
    return made;
  }

  // renaming, and the description
  const newName = h('input', { id: 'rename-name', value: project.name, maxlength: 200, required: true });
  const newDescription = h('input', { id: 'rename-description', value: project.description || '', maxlength: 2000 });
  const renameForm = form('rename-title', 'Name and description', [
    h('label', { for: 'rename-name' }, 'Name', newName),
    h('label', { for: 'rename-description' }, 'Description', newDescription)], 'Save', async () => {
    project = await api(base, { method: 'PATCH', body: { name: newName.value.trim(),
      description: newDescription.value.trim() } });
    describe();
    notify('Saved.', 'ok');
  });
  const remove = h('button', { type: 'button', class: 'danger', id: 'delete-project' }, 'Delete the project');
  remove.addEventListener('click', () => {
    if (remove.dataset.armed !== 'true') {
      remove.dataset.armed = 'true';
      remove.textContent = 'Delete it and everything in it, for good?';
      return;
    }
    act(remove, async () => {
      await api(base, { method: 'DELETE' });
      notify(`Project ${project.name} deleted.`, 'ok');
      location.hash = '#/projects';
    });
  });

  // a transcript from an asset
  const assetChoice = h('select', { id: 'transcript-asset', required: true },
    h('option', { value: '' }, 'Loading your media…'));
  const transcriptTitle = h('input', { id: 'transcript-title', maxlength: 200, placeholder: 'the file name' });
  const addTranscript = form('add-transcript-title', 'Add a transcript', [
    h('label', { for: 'transcript-asset' }, 'Video or audio with a transcript', assetChoice),
    h('label', { for: 'transcript-title' }, 'Title', transcriptTitle)], 'Add', async () => {
    await api(`${base}/transcripts`, { method: 'POST', body: { assetId: assetChoice.value,
      title: transcriptTitle.value.trim() || null } });
    transcriptTitle.value = '';
    notify('Transcript added.', 'ok');
    await loadTranscripts();
  });

  // members
  const memberUser = h('input', { id: 'member-user', required: true, maxlength: 200, autocomplete: 'off' });
  const memberRole = h('select', { id: 'member-role' }, h('option', { value: 'edit' }, 'edit'),
    h('option', { value: 'read' }, 'read'));
  const addMember = form('add-member-title', 'Add a member', [
    h('label', { for: 'member-user' }, 'Their user name', memberUser),
    h('label', { for: 'member-role' }, 'Role', memberRole)], 'Add', async () => {
    await api(`${base}/members/${encodeURIComponent(memberUser.value.trim())}`, { method: 'PUT',
      body: { role: memberRole.value } });
    memberUser.value = '';
    await loadMembers();
  });

  // labels
  const labelName = h('input', { id: 'label-name', required: true, maxlength: 100 });
  const labelColour = h('input', { id: 'label-colour', type: 'color', value: '#f59e0b' });
  const labelDescription = h('input', { id: 'label-description', maxlength: 500 });
  const addLabel = form('add-label-title', 'New label', [
    h('label', { for: 'label-name' }, 'Name', labelName),
    h('label', { for: 'label-colour' }, 'Colour', labelColour),
    h('label', { for: 'label-description' }, 'What it is for', labelDescription)], 'Make the label', async () => {
    await api(`${base}/labels`, { method: 'POST', body: { name: labelName.value.trim(), colour: labelColour.value,
      description: labelDescription.value.trim() || null } });
    labelName.value = '';
    labelDescription.value = '';
    await loadLabels();
  });

  // paper edits
  const editTitle = h('input', { id: 'edit-title', required: true, maxlength: 200 });
  const addEdit = form('add-edit-title', 'New paper edit', [
    h('label', { for: 'edit-title' }, 'Title', editTitle)], 'Make the paper edit', async () => {
    const made = await api(`${base}/paper-edits`, { method: 'POST', body: { title: editTitle.value.trim() } });
    location.hash = `#/projects/${encodeURIComponent(id)}/edits/${encodeURIComponent(made.id)}`;
  });

  describe();
  main.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/projects' }, 'Projects')),
    title, about,
    editor ? h('details', {}, h('summary', {}, 'Rename, describe or delete'), renameForm, owner ? remove : null) : null,
    h('section', { 'aria-labelledby': 'transcripts-title' },
      h('h2', { id: 'transcripts-title' }, 'Transcripts'),
      table(['Title', 'State', 'Revision'], transcripts),
      editor ? addTranscript : null),
    h('section', { 'aria-labelledby': 'edits-title' },
      h('h2', { id: 'edits-title' }, 'Paper edits'), edits, editor ? addEdit : null),
    h('section', { 'aria-labelledby': 'labels-title' },
      h('h2', { id: 'labels-title' }, 'Labels'), labels, editor ? addLabel : null),
    h('section', { 'aria-labelledby': 'members-title' },
      h('h2', { id: 'members-title' }, 'Members'),
      table(['User', 'Role', 'Since'], members),
      owner ? addMember : null));
  await Promise.all([loadTranscripts(), loadMembers(), loadLabels(), loadEdits()]);
  if (editor) {
    transcribedAssets().then(assets => {
      assetChoice.replaceChildren(...(assets.length
        ? [h('option', { value: '' }, 'Choose one…'), ...assets.map(a => h('option', { value: a.id },
          `${a.filename || a.id} (${a.mediaKind})`))]
        : [h('option', { value: '' }, 'None of your media has a transcript yet')]));
    }).catch(() => assetChoice.replaceChildren(h('option', { value: '' }, 'Your media could not be listed')));
  }
  return () => {
    left = true;
    clearTimeout(polling);
  };
}

/** A table of rows with these column headings and a last one of actions. */
function table(headings, body) {
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, headings.map(t => h('th', { scope: 'col' }, t)),
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
    body));
}
