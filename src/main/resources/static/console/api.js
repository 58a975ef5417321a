// The console's calls to Caravan's API (/api/v1), with the signed-in person's access token. Errors arrive as RFC 9457
// problem+json; they are thrown as ApiError carrying the problem, so a view can say what was wrong.
import { accessToken, signIn } from './auth.js';

export const API = '/api/v1';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `The API answered ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** The token, or a trip through sign-in (which leaves the page) when there is none. */
export async function token() {
  const value = accessToken();
  if (!value) {
    await signIn(location.hash);
    throw new ApiError(401, { title: 'Signing in' });
  }
  return value;
}

/**
 * Calls the API: {@code path} under /api/v1 (or absolute), {@code body} sent as JSON (unless a Blob or FormData).
 * Returns the parsed JSON, the text for a non-JSON answer, or null for 204.
 */
export async function api(path, { method = 'GET', body, headers = {}, signal } = {}) {
  const url = path.startsWith('/') && !path.startsWith(API) ? API + path : path;
  const options = { method, signal, headers: { Accept: 'application/json', ...headers } };
  options.headers.Authorization = 'Bearer ' + await token();
  if (body !== undefined) {
    if (body instanceof Blob || body instanceof FormData || typeof body === 'string') {
      options.body = body;
    } else {
      options.body = JSON.stringify(body);
      options.headers['Content-Type'] = 'application/json';
    }
  }
  const response = await fetch(url, options);
  if (response.status === 401) {
    await signIn(location.hash);
    throw new ApiError(401, { title: 'Signing in again' });
  }
  const type = response.headers.get('Content-Type') || '';
  if (!response.ok) {
    const problem = type.includes('json') ? await response.json().catch(() => ({})) : { title: response.statusText };
    throw new ApiError(response.status, problem);
  }
  if (response.status === 204) {
    return null;
  }
  return type.includes('json') ? response.json() : response.text();
}

/** A GET returning a Blob (an export, a download), with the token. */
export async function download(path) {
  const url = path.startsWith(API) ? path : API + path;
  const response = await fetch(url, { headers: { Authorization: 'Bearer ' + await token() } });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({ title: response.statusText }));
    throw new ApiError(response.status, problem);
  }
  const disposition = response.headers.get('Content-Disposition') || '';
  const name = /filename="?([^";]+)"?/.exec(disposition);
  return { blob: await response.blob(), filename: name ? name[1] : null };
}
