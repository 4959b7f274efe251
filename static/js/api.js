/* The JSON API as promises: every call goes through Zepto's ajax, writes carry the CSRF token. */
const $ = window.Zepto;
const SAFE_METHODS = ['GET', 'HEAD'];
let csrfToken = null;

/* A refused call: HTTP status plus the `{"error": {code, message, fields}}` of the answer. */
export class ApiError extends Error {
  constructor(status, error) {
    super(error.message);
    this.status = status;
    this.code = error.code;
    this.fields = error.fields || {};
    this.more = error.more || 0;
    this.problems = error.problems || null;  // by citizen and field (an Analyzer import)
  }

  /* Messages per field, each starting with a capital; what names no field goes under
     `fallback`. Errors of other kinds (no connection) keep their message under `fallback`. */
  byField(fallback) {
    const fields = {};
    for (const [name, message] of Object.entries(this.fields)) {
      fields[name] = message.charAt(0).toUpperCase() + message.slice(1);
    }
    if (!Object.keys(fields).length) fields[fallback] = this.message;
    return fields;
  }

  static fromXhr(xhr) {
    let error = null;
    try {
      error = JSON.parse(xhr.responseText).error;
    } catch (ignored) { /* not our JSON shape */ }
    if (!error) {
      const message = xhr.status ? `The server answered ${xhr.status}.` : 'The server cannot be reached.';
      error = { code: 'unavailable', message, fields: {} };
    }
    return new ApiError(xhr.status, error);
  }
}

export function setCsrfToken(token) {
  csrfToken = token;
}

/* Call the API: `body` is sent as JSON (or as is when it is a File: a picture with its own
   media type); resolves to the parsed answer (null for 204), rejects with an ApiError.
   `onProgress(fraction)` follows an upload. */
export function request(method, url, body, onProgress) {
  const headers = { Accept: 'application/json' };
  if (!SAFE_METHODS.includes(method) && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken;
  }
  const raw = body instanceof window.Blob;
  return new Promise((resolve, reject) => {
    $.ajax({
      type: method,
      url,
      headers,
      data: body === undefined ? undefined : (raw ? body : JSON.stringify(body)),
      processData: false,
      contentType: body === undefined ? false : contentTypeOf(body, raw),
      dataType: 'json',
      xhr() {
        const xhr = new XMLHttpRequest();
        if (onProgress) {
          xhr.upload.addEventListener('progress', (event) => {
            if (event.lengthComputable) onProgress(event.loaded / event.total);
          });
        }
        return xhr;
      },
      success: (data) => resolve(data),
      error: (xhr) => reject(ApiError.fromXhr(xhr)),
    });
  });
}

function contentTypeOf(body, raw) {
  return raw && body.type.startsWith('image/') ? body.type : 'application/json';
}

export const get = (url) => request('GET', url);
export const put = (url, body, onProgress) => request('PUT', url, body, onProgress);
export const post = (url, body, onProgress) => request('POST', url, body, onProgress);
export const patch = (url, body) => request('PATCH', url, body);
export const remove = (url) => request('DELETE', url);

/* A URL with query parameters, leaving out empty ones. */
export function withQuery(path, params) {
  const query = Object.entries(params)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
  return query ? `${path}?${query}` : path;
}

/* `/api/v1/users/<name>` with each part escaped. */
export function apiPath(...parts) {
  return ['/api/v1', ...parts.map((part) => encodeURIComponent(part))].join('/');
}
