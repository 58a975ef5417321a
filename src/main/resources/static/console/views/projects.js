// Projects: the paper-edit projects the person is a member of (GET /projects, a page at a time), a new one
// (POST /projects), renaming one (PATCH /projects/{id}) and deleting one the person owns (DELETE /projects/{id}).
import { api } from '../api.js';
import { act, date, h, heading, notify } from '../ui.js';

export async function render(main) {
  const list = h('tbody');
  const more = h('button', { type: 'button', hidden: true }, 'More projects');
  let cursor = null;

  async function load(append) {
    const page = await api(`/projects?limit=50${append && cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    cursor = page.nextCursor;
    more.hidden = !cursor;
    const rows = page.items.map(row);
    if (append) {
      list.append(...rows);
    } else {
      list.replaceChildren(...(rows.length ? rows : [h('tr', {}, h('td', { colspan: 4, class: 'muted' },
        'No projects yet: make one above.'))]));
    }
  }
  more.addEventListener('click', () => act(more, () => load(true)));

  function row(project) {
    const name = h('td', {}, h('a', { href: `#/projects/${encodeURIComponent(project.id)}` }, project.name),
      project.description ? h('div', { class: 'muted small' }, project.description) : null);
    const tools = h('td', { class: 'actions' });
    const tr = h('tr', { dataset: { project: project.id } }, name, h('td', {}, project.role.toLowerCase()),
      h('td', {}, date(project.updatedAt)), tools);
    if (project.role !== 'READ') {
      tools.append(h('button', {
        type: 'button', 'aria-label': `Rename ${project.name}`, onclick: () => rename(project, name, tools),
      }, 'Rename'));
    }
    if (project.role === 'OWNER') {
      const remove = h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${project.name}` }, 'Delete');
      remove.addEventListener('click', () => {
        if (remove.dataset.armed !== 'true') {
          remove.dataset.armed = 'true';
          remove.textContent = 'Confirm delete';
          remove.setAttribute('aria-label', `Confirm delete of ${project.name} and everything in it`);
          return;
        }
        act(remove, async () => {
          await api(`/projects/${encodeURIComponent(project.id)}`, { method: 'DELETE' });
          notify(`Project ${project.name} deleted.`, 'ok');
          await load(false);
        });
      });
      tools.append(' ', remove);
    }
    return tr;
  }

  function rename(project, cell, tools) {
    const input = h('input', { value: project.name, maxlength: 200, required: true,
      'aria-label': `New name of ${project.name}` });
    const form = h('form', {
      class: 'row inline',
      onsubmit: event => {
        event.preventDefault();
        act(form.querySelector('button[type=submit]'), async () => {
          await api(`/projects/${encodeURIComponent(project.id)}`, { method: 'PATCH', body: { name: input.value.trim() } });
          notify('Renamed.', 'ok');
          await load(false);
        });
      },
    }, input, h('button', { type: 'submit', class: 'primary' }, 'Save'),
    h('button', { type: 'button', onclick: () => load(false) }, 'Cancel'));
    cell.replaceChildren(form);
    tools.replaceChildren();
    input.focus();
    input.select();
  }

  const name = h('input', { id: 'project-name', name: 'name', required: true, maxlength: 200 });
  const description = h('input', { id: 'project-description', name: 'description', maxlength: 2000 });
  const form = h('form', {
    class: 'card', 'aria-labelledby': 'new-project-title',
    onsubmit: event => {
      event.preventDefault();
      act(form.querySelector('button[type=submit]'), async () => {
        const made = await api('/projects', { method: 'POST', body: {
          name: name.value.trim(), description: description.value.trim() || null } });
        location.hash = `#/projects/${encodeURIComponent(made.id)}`;
      });
    },
  },
  h('h2', { id: 'new-project-title' }, 'New project'),
  h('div', { class: 'row' },
    h('label', { for: 'project-name' }, 'Name', name),
    h('label', { for: 'project-description' }, 'Description', description),
    h('button', { type: 'submit', class: 'primary' }, 'Make the project')));

  main.append(heading('Projects'),
    h('p', { class: 'muted' }, 'A project gathers interviews\u2019 transcripts, their annotations and the paper edits ',
      'cut from them, with the people who work on them.'),
    form,
    h('h2', {}, 'Your projects'),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Name', 'Your role', 'Changed'].map(t => h('th', { scope: 'col' }, t)),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
      list)),
    more);
  await load(false);
}
