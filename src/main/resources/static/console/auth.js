// Sign-in for the console: OpenID Connect's authorization code flow with PKCE (S256), as a public client. The issuer,
// the client id and the scopes come from GET /api/v1/console; the provider's endpoints from its discovery document.
// Tokens live in sessionStorage (this tab only, gone with it); a token about to expire sends the person through the
// provider again, which answers at once while its own session lasts.

const TOKENS = 'caravan.tokens';
const PENDING = 'caravan.signin';
const SKEW_MS = 30_000;

let settingsPromise;

/** The console's sign-in settings and the issuer's discovery document, fetched once per page load. */
export function settings() {
  if (!settingsPromise) {
    settingsPromise = (async () => {
      const console = await getJson('/api/v1/console');
      if (!console.issuer) {
        throw new Error('No sign-in is configured for this Caravan (caravan.security.issuer-uri).');
      }
      const discovery = await getJson(console.issuer.replace(/\/$/, '') + '/.well-known/openid-configuration');
      return { ...console, discovery };
    })();
    settingsPromise.catch(() => { settingsPromise = undefined; });
  }
  return settingsPromise;
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(`${url} answered ${response.status}`);
  }
  return response.json();
}

function base64url(bytes) {
  let text = '';
  for (const b of new Uint8Array(bytes)) {
    text += String.fromCharCode(b);
  }
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText(size = 32) {
  return base64url(crypto.getRandomValues(new Uint8Array(size)));
}

function redirectUri(config) {
  return location.origin + config.callbackPath;
}

/** Sends the person to the provider's sign-in; they come back to {@code returnTo} (a fragment, e.g. #/assets). */
export async function signIn(returnTo = location.hash) {
  const config = await settings();
  const verifier = randomText(48);
  const state = randomText(16);
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo }));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(config),
    scope: config.scopes.join(' '),
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  location.assign(config.discovery.authorization_endpoint + '?' + query);
}

/** On the callback path: trades the code for tokens. Returns the fragment to go on to, or throws the reason. */
export async function completeSignIn() {
  const params = new URLSearchParams(location.search);
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  if (params.get('error')) {
    throw new Error(`Sign-in failed: ${params.get('error_description') || params.get('error')}`);
  }
  if (!pending || !params.get('code') || params.get('state') !== pending.state) {
    throw new Error('Sign-in did not come back as it was sent (a stale or foreign link): sign in again.');
  }
  const config = await settings();
  const response = await fetch(config.discovery.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code'),
      redirect_uri: redirectUri(config),
      client_id: config.clientId,
      code_verifier: pending.verifier,
    }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.access_token) {
    throw new Error(`Sign-in failed: ${body.error_description || body.error || response.status}`);
  }
  const expiresAt = Date.now() + (Number(body.expires_in) || 300) * 1000;
  sessionStorage.setItem(TOKENS, JSON.stringify({
    accessToken: body.access_token, idToken: body.id_token || null, expiresAt,
  }));
  return pending.returnTo || '#/assets';
}

function stored() {
  return JSON.parse(sessionStorage.getItem(TOKENS) || 'null');
}

/** The access token, or null when there is none or it is about to expire. */
export function accessToken() {
  const tokens = stored();
  return tokens && tokens.expiresAt - SKEW_MS > Date.now() ? tokens.accessToken : null;
}

function claimsOf(jwt) {
  try {
    const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(Array.from(atob(part), c => '%' + c.charCodeAt(0).toString(16).padStart(2, '0'))
      .join(''));
    return JSON.parse(json);
  } catch {
    return {};
  }
}

/**
 * Who is signed in: their subject, a name to show and whether they are an admin (the roles claim and the admin role
 * are the API's settings; the API decides what they may do, this only chooses what to show).
 */
export async function user() {
  const tokens = stored();
  if (!tokens) {
    return null;
  }
  const config = await settings();
  const access = claimsOf(tokens.accessToken);
  const id = tokens.idToken ? claimsOf(tokens.idToken) : {};
  let roles = config.rolesClaim.split('.').reduce((value, key) => (value && typeof value === 'object' ? value[key] : undefined), access);
  roles = Array.isArray(roles) ? roles : typeof roles === 'string' ? roles.split(/[\s,]+/) : [];
  return {
    subject: access.sub || id.sub,
    name: id.name || id.preferred_username || access.preferred_username || access.sub || id.sub,
    admin: roles.includes(config.adminRole),
  };
}

/** Forgets the tokens and ends the provider's session when it offers RP-initiated logout. */
export async function signOut() {
  const tokens = stored();
  sessionStorage.removeItem(TOKENS);
  const config = await settings().catch(() => null);
  const end = config && config.discovery.end_session_endpoint;
  if (end && tokens && tokens.idToken) {
    const query = new URLSearchParams({
      id_token_hint: tokens.idToken, client_id: config.clientId, post_logout_redirect_uri: location.origin + '/',
    });
    location.assign(end + '?' + query);
  } else {
    location.assign('/');
  }
}
