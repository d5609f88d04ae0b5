// The auth API. Errors come back as {error, message}; this turns the codes into words.
//
// The session's refresh token never reaches this code: the auth service keeps it in an HttpOnly, SameSite=Strict
// cookie scoped to /api/auth, which the browser sends along (credentials: 'include'; the auth API may be another
// origin, which then answers CORS for this exact origin with credentials allowed). The access token it returns
// lives only in memory.

const MESSAGES = {
  username_taken: 'That username is taken. Pick another one, or log in.',
  invalid_username: 'Usernames are 3 to 32 letters, digits, ".", "_" or "-".',
  invalid_password: 'Passwords are 8 to 128 characters long.',
  invalid_credentials: 'Wrong username or password.',
  too_many_attempts: 'Too many failed attempts.',
  unavailable: 'The service is temporarily unavailable. Try again in a moment.',
};

export class AuthError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

export class AuthApi {
  constructor(baseUrl) {
    this.baseUrl = baseUrl || '';
  }

  register(username, password) {
    return this.#post('/api/auth/register', { username, password });
  }

  login(username, password) {
    return this.#post('/api/auth/login', { username, password, device: navigator.userAgent });
  }

  // A new access token for the session of the cookie (and a new cookie: refresh tokens are single use).
  refresh() {
    return this.#post('/api/auth/refresh');
  }

  logout() {
    return this.#post('/api/auth/logout');
  }

  logoutEverywhere(accessToken) {
    return this.#post('/api/auth/logout-all', {}, accessToken);
  }

  // Every other session of the user ends; this one (its access token and its refresh cookie) carries on.
  changePassword(accessToken, currentPassword, newPassword) {
    return this.#post('/api/auth/password', { currentPassword, newPassword }, accessToken);
  }

  async #post(path, body, accessToken) {
    let response;
    const headers = body === undefined ? {} : { 'Content-Type': 'application/json' };
    if (accessToken) {
      headers.Authorization = 'Bearer ' + accessToken;
    }
    try {
      response = await fetch(this.baseUrl + path, {
        method: 'POST',
        credentials: 'include',
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new AuthError('network', 'Cannot reach the server. Check your connection and try again.');
    }
    let json = {};
    try {
      json = await response.json();
    } catch (e) {
      // not JSON: fall through with the status
    }
    if (!response.ok) {
      let message = MESSAGES[json.error] || json.message || `Request failed (${response.status}).`;
      if (json.error === 'too_many_attempts') {
        const wait = response.headers.get('Retry-After');
        message += wait ? ` Try again in ${wait} seconds.` : ' Try again later.';
      } else if (json.error === 'invalid_password' || json.error === 'invalid_username') {
        message = json.message || message;
      }
      const error = new AuthError(json.error || 'http_' + response.status, message);
      error.status = response.status;
      throw error;
    }
    return json;
  }
}
