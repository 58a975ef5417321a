// The console's page: sign-in, the navigation and the router. Each view is a module of ./views/, loaded when it is
// first shown, exporting render(main, params, query), which fills <main> and may return a function to call when
// the view is left (to stop polling, pause a player). Views are addressed by the URL's fragment (#/assets/ID), so
// every view has a link of its own and the back button works.
import { completeSignIn, signIn, signOut, user, accessToken, settings } from './auth.js';
import { h, heading, showError } from './ui.js';

const ROUTES = [
  [/^\/assets$/, 'assets'],
  [/^\/assets\/([^/]+)$/, 'asset'],
  [/^\/projects$/, 'projects'],
  [/^\/projects\/([^/]+)$/, 'project'],
  [/^\/projects\/([^/]+)\/transcripts\/([^/]+)$/, 'transcript'],
  [/^\/projects\/([^/]+)\/edits\/([^/]+)$/, 'paper-edit'],
  [/^\/library$/, 'library'],
  [/^\/playlists$/, 'playlists'],
  [/^\/playlists\/([^/]+)$/, 'playlist'],
  [/^\/keys$/, 'keys'],
  [/^\/ops$/, 'ops'],
];

const main = document.getElementById('main');
let leave = null;
let shown = 0;

function parse(hash) {
  const [path, search = ''] = hash.replace(/^#/, '').split('?');
  for (const [pattern, view] of ROUTES) {
    const match = pattern.exec(path || '/assets');
    if (match) {
      return { view, params: match.slice(1).map(decodeURIComponent), query: new URLSearchParams(search) };
    }
  }
  return null;
}

async function show() {
  const turn = ++shown;
  if (typeof leave === 'function') {
    try {
      leave();
    } catch (error) {
      console.warn('leaving the view failed', error);
    }
  }
  leave = null;
  const route = parse(location.hash || '#/assets');
  main.replaceChildren();
  document.getElementById('alerts').replaceChildren();
  markCurrent();
  if (!route) {
    main.append(heading('Not found'), h('p', {}, 'No page here. ', h('a', { href: '#/assets' }, 'Go to the assets.')));
    return;
  }
  main.setAttribute('aria-busy', 'true');
  try {
    const module = await import(`./views/${route.view}.js`);
    if (turn !== shown) {
      return;
    }
    leave = await module.render(main, route.params, route.query);
  } catch (error) {
    if (turn === shown) {
      showError(error);
    }
  } finally {
    if (turn === shown) {
      main.removeAttribute('aria-busy');
      const title = main.querySelector('h1');
      document.title = title ? `${title.textContent} · Caravan` : 'Caravan';
      (title || main).focus({ preventScroll: true });
    }
  }
}

function markCurrent() {
  const path = (location.hash || '#/assets').split('?')[0];
  for (const link of document.querySelectorAll('#nav a')) {
    const target = link.getAttribute('href');
    if (path === target || path.startsWith(target + '/')) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
}

function welcome() {
  main.replaceChildren(
    heading('Caravan'),
    h('p', {}, 'Upload, process and share media: video, audio, images and their transcripts.'),
    h('button', { type: 'button', class: 'primary', id: 'sign-in', onclick: () => signIn(location.hash || '#/assets')
      .catch(showError) }, 'Sign in'));
}

async function start() {
  document.getElementById('sign-out').addEventListener('click', () => signOut().catch(showError));
  if (location.pathname === '/console/callback') {
    try {
      const next = await completeSignIn();
      history.replaceState(null, '', '/' + next);
    } catch (error) {
      history.replaceState(null, '', '/');
      welcome();
      showError(error);
      return;
    }
  }
  if (!accessToken()) {
    try {
      await settings();
    } catch (error) {
      welcome();
      showError(error);
      return;
    }
    welcome();
    return;
  }
  const who = await user();
  document.getElementById('nav').hidden = false;
  document.getElementById('who').hidden = false;
  document.getElementById('who-name').textContent = who.name;
  for (const item of document.querySelectorAll('[data-admin]')) {
    item.hidden = !who.admin;
  }
  window.addEventListener('hashchange', show);
  await show();
}

start().catch(showError);
