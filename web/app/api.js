// The HTTP JSON API of docs/API.md, as the browser calls it: same origin
// only, the session in the HttpOnly cookie dissentd sets at login, JSON
// bodies (a request that changes state always says Content-Type:
// application/json, which the server requires of cookie sessions), and
// every refusal turned into an ApiError with a message that says what to
// do.

export class ApiError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message);
    this.name = 'ApiError';
    this.status = status; // 0: no answer
    this.code = code;
    this.retryAfter = retryAfter; // seconds, or null
  }
}

// What to tell a person for an error code, when the screen has nothing
// more specific to say.
const ADVICE = {
  network: 'The server could not be reached. Check your connection and try again.',
  bad_response: 'The server sent an answer this page does not understand. Reload the page and try again.',
  unauthenticated: 'Your session has ended. Log in again.',
  bad_credentials: 'The handle or password is wrong. Check both and try again.',
  totp_required: 'Enter the 6-digit code from your authenticator app.',
  bad_totp: 'That code is wrong or was already used. Wait for the next code and try again.',
  suspended: 'Your account is suspended. Ask your administrator.',
  forbidden: 'Your role does not allow this.',
  not_found: 'Nothing was found there.',
  expired: 'This code has expired. Ask your administrator for a new one.',
  too_large: 'That is too large to send.',
  internal: 'The server had a problem. Try again in a moment.',
  unavailable: 'The server is busy. Try again in a moment.',
  invalid_state: 'The memo has moved on since you opened it: reload it to see what can be done now.',
  stale_version: 'The memo has a newer version than the one you read. Reload it, read the new version and try again.',
  already_signed: 'You have already signed this version.',
  not_eligible: 'This member may not sign this memo: only eligible members of the memo\'s organisations may.',
  marking_not_accredited: 'This server is not accredited for that marking. Choose a lower one, or do not use this system for this text.',
  no_channel_key: 'The channel has no key yet: a coordinator must create it before memos can be submitted.',
  conflict: 'Someone changed this at the same time. Reload and try again.',
  bad_time: 'Your device\'s clock is more than ten minutes off. Correct it and try again.',
  bad_signature: 'The server refused the signature. Log out, log in again and retry.',
  no_auditors: 'There is no enrolled auditor to read a complaint. Ask your administrator.',
  invalid_field: 'The server refused a value. Check the fields and try again.',
  missing_field: 'A required value is missing. Fill in every field and try again.',
  bad_request: 'The server refused the request. Check the fields and try again.',
};

// The sentence to show for the error `e` (an ApiError or anything else).
export function advice(e) {
  if (e instanceof ApiError) {
    if (e.code === 'rate_limited') {
      const s = e.retryAfter ? ` Wait ${e.retryAfter} seconds and try again.` : ' Wait a minute and try again.';
      return `Too many attempts.${s}`;
    }
    return ADVICE[e.code] ?? e.message ?? 'Something went wrong. Try again.';
  }
  return 'Something went wrong in this page. Reload it and try again.';
}

// Call `method` `path` (under /api/v1) with the JSON `body` (optional) and
// return the decoded reply (null for 204); throws an ApiError.
export async function call(method, path, body) {
  const init = {
    method,
    credentials: 'same-origin',
    cache: 'no-store',
    redirect: 'error',
    headers: { Accept: 'application/json' },
  };
  if (method !== 'GET') {
    init.headers['Content-Type'] = 'application/json';
    if (body !== undefined) init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(`/api/v1${path}`, init);
  } catch {
    throw new ApiError(0, 'network', ADVICE.network, null);
  }
  if (res.status === 204) return null;
  let data;
  try {
    data = await res.json();
  } catch {
    throw new ApiError(res.status, 'bad_response', ADVICE.bad_response, null);
  }
  if (!res.ok) {
    const err = data && typeof data.error === 'object' ? data.error : {};
    const retry = Number.parseInt(res.headers.get('Retry-After') ?? '', 10);
    throw new ApiError(
      res.status,
      typeof err.code === 'string' ? err.code : 'bad_response',
      typeof err.message === 'string' ? err.message : `HTTP ${res.status}`,
      Number.isFinite(retry) ? retry : null,
    );
  }
  return data;
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body);
export const put = (path, body) => call('PUT', path, body);
export const del = (path) => call('DELETE', path);

// An error of this page's own checks (a grant that does not open, a hash
// that does not match, a proof that does not verify): `message` says what
// happened and what to do.
export class IntegrityError extends ApiError {
  constructor(code, message) {
    super(0, code, message, null);
    this.name = 'IntegrityError';
  }
}
