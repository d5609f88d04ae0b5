// The "Change password" dialog: current password, new password twice. The new one is checked here first (the two
// must match, 8 to 128 characters, not the current one) so that a typo costs no request and no throttled attempt;
// what the auth API refuses is said in words. A change ends every OTHER session of the user: this device keeps its
// session (its access token and refresh cookie stay valid), so the chat carries on.

import { AuthError } from './auth-api.js';

const $ = (id) => document.getElementById(id);

const MIN_LENGTH = 8;
const MAX_LENGTH = 128;

// What the auth API's refusals mean here (the login form's words would say "username or password").
const MESSAGES = {
  invalid_credentials: 'The current password is wrong.',
};

// Characters as the auth service counts them: code points, so an emoji is one.
function length(text) {
  return [...text].length;
}

export class PasswordDialog {
  // session: {token() -> Promise of a valid access token, renewedToken() -> Promise of a just-refreshed one}
  constructor(api, session) {
    this.api = api;
    this.session = session;
    this.dialog = $('password-dialog');
    this.busy = false;
  }

  wire(opener) {
    this.opener = opener;
    opener.addEventListener('click', () => this.open());
    $('password-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    $('password-cancel').addEventListener('click', () => this.close());
    // Escape closes a modal dialog by itself; forget what was typed then too
    this.dialog.addEventListener('close', () => this.#reset());
  }

  open() {
    this.#reset();
    this.dialog.showModal();
    $('current-password').focus();
  }

  close() {
    if (this.dialog.open) {
      this.dialog.close();
    }
  }

  async submit() {
    if (this.busy) {
      return;
    }
    const current = $('current-password').value;
    const next = $('new-password').value;
    const confirmation = $('confirm-password').value;
    const refusal = this.#check(current, next, confirmation);
    if (refusal) {
      this.#fail(refusal.message, refusal.field);
      return;
    }
    this.#setBusy(true);
    try {
      const answer = await this.#change(current, next);
      this.#done(answer.sessionsEnded);
    } catch (e) {
      const message = MESSAGES[e.code] || e.message;
      this.#fail(message, e.code === 'invalid_password' ? 'new-password' : 'current-password');
    } finally {
      this.#setBusy(false);
    }
  }

  #check(current, next, confirmation) {
    if (!current) {
      return { field: 'current-password', message: 'Enter your current password.' };
    }
    if (length(next) < MIN_LENGTH || length(next) > MAX_LENGTH) {
      return { field: 'new-password', message: `The new password must be ${MIN_LENGTH} to ${MAX_LENGTH} characters long.` };
    }
    if (next !== confirmation) {
      return { field: 'confirm-password', message: 'The new passwords do not match.' };
    }
    if (next === current) {
      return { field: 'new-password', message: 'The new password is the same as the current one.' };
    }
    return null;
  }

  // An access token the server refused (it expired in between, say) is renewed once and the change tried again.
  async #change(current, next) {
    try {
      return await this.api.changePassword(await this.session.token(), current, next);
    } catch (e) {
      if (e.code !== 'invalid_token') {
        throw e;
      }
      let token;
      try {
        token = await this.session.renewedToken();
      } catch (refused) {
        throw new AuthError(refused.code, 'You were signed out. Please log in again.');
      }
      return this.api.changePassword(token, current, next);
    }
  }

  #done(sessionsEnded) {
    const others = sessionsEnded === 1 ? '1 other device was signed out'
      : sessionsEnded > 1 ? `${sessionsEnded} other devices were signed out` : 'no other device was signed in';
    $('password-fields').hidden = true;
    $('password-submit').hidden = true;
    $('password-error').hidden = true;
    $('password-done').textContent = `Your password was changed: ${others}. This device stays signed in.`;
    $('password-done').hidden = false;
    $('password-cancel').textContent = 'Close';
    $('password-cancel').focus();
  }

  #fail(message, field) {
    const error = $('password-error');
    error.textContent = message;
    error.hidden = false;
    for (const id of ['current-password', 'new-password', 'confirm-password']) {
      $(id).setAttribute('aria-invalid', String(id === field));
    }
    $(field).focus();
    $(field).select();
  }

  #setBusy(busy) {
    this.busy = busy;
    $('password-submit').disabled = busy;
    $('password-submit').textContent = busy ? 'Changing…' : 'Change password';
    $('password-form').setAttribute('aria-busy', String(busy));
  }

  // Nothing typed outlives the dialog.
  #reset() {
    for (const id of ['current-password', 'new-password', 'confirm-password']) {
      $(id).value = '';
      $(id).removeAttribute('aria-invalid');
    }
    $('password-fields').hidden = false;
    $('password-submit').hidden = false;
    $('password-error').hidden = true;
    $('password-done').hidden = true;
    $('password-cancel').textContent = 'Cancel';
    if (!this.dialog.open && this.opener && !this.opener.hidden) {
      this.opener.focus();
    }
  }
}
