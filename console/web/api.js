// The console's client of the leader's HTTP API (server/http_server.h): login and session, SQL
// through /api/query with a tag the client picks (so that a running query can be cancelled by
// that tag), and the per-user JSON document that holds dashboards and saved queries. A failure
// is thrown as an ApiError carrying what the server said: message, SQLSTATE, detail, hint,
// position and the HTTP status, so that every page shows errors the same way.
'use strict';

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error) || `HTTP ${status}`);
    this.status = status;
    this.sqlstate = (body && body.sqlstate) || '';
    this.detail = (body && body.detail) || '';
    this.hint = (body && body.hint) || '';
    this.position = (body && body.position) || 0;
  }
}

const Api = {
  // Called when a request other than login / me finds the session gone (app.js shows the login).
  onUnauthorized: () => {},

  async request(method, path, body) {
    const init = { method, credentials: 'same-origin', headers: {} };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(path, init);
    } catch (e) {
      throw new ApiError(0, { error: `cannot reach the server: ${e.message}` });
    }
    const text = await res.text();
    let data;
    try {
      data = text ? JSON.parse(text) : {};
    } catch (e) {
      data = { error: text.slice(0, 300) || res.statusText };
    }
    if (!res.ok) {
      const err = new ApiError(res.status, data);
      if (res.status === 401 && path !== '/api/login' && path !== '/api/me') Api.onUnauthorized(err);
      throw err;
    }
    return data;
  },

  login(user, password) { return Api.request('POST', '/api/login', { user, password }); },
  logout() { return Api.request('POST', '/api/logout', {}); },
  me() { return Api.request('GET', '/api/me'); },

  // A random id for one /api/query, so that /api/cancel can name it. (crypto.randomUUID needs a
  // secure context; a console on plain http to another host is not one.)
  newTag() {
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  },

  // Runs `sql` (one or more statements; the last one's rows come back) as the logged-in user.
  query(sql, { maxRows = 10000, tag = Api.newTag() } = {}) {
    return Api.request('POST', '/api/query', { sql, max_rows: maxRows, tag });
  },
  cancel(tag) { return Api.request('POST', '/api/cancel', { tag }); },

  getDashboards() { return Api.request('GET', '/api/dashboards'); },
  putDashboards(doc) { return Api.request('PUT', '/api/dashboards', doc); },
};
