// The MicroChat browser app: login, then the chat. Everything from the server is shown with textContent,
// never parsed as HTML.

import { AuthApi } from './auth-api.js';
import { ChatConnection } from './chat-connection.js';
import { ChatStore, ROOM, dmKey } from './chat-store.js';
import { PasswordDialog } from './password-dialog.js';
import { Field, Rooms } from './protocol.js';

const $ = (id) => document.getElementById(id);

let config = { authUrl: '', webSocketPath: '/ws' };
let api = null;
let store = null;
let connection = null;
// The signed-in session, in memory only: {token, expiresAt, username}. The refresh token is an HttpOnly cookie.
let session = null;
let refreshTimer = null;
let refreshing = null;
let passwordDialog = null;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function show(view) {
  $('login-view').hidden = view !== 'login';
  $('chat-view').hidden = view !== 'chat';
  $('logout').hidden = view !== 'chat';
  $('logout-all').hidden = view !== 'chat';
  $('change-password').hidden = view !== 'chat';
}

// ---- login ---------------------------------------------------------------------------------------------------

function showLogin(notice) {
  show('login');
  $('me').textContent = '';
  $('login-notice').hidden = !notice;
  $('login-notice').textContent = notice || '';
  $('username').focus();
}

async function submitCredentials(register) {
  const username = $('username').value.trim();
  const password = $('password').value;
  const error = $('login-error');
  error.hidden = true;
  if (username.length < 3 || password.length < 8) {
    error.textContent = username.length < 3 ? 'Usernames are 3 to 32 letters, digits, ".", "_" or "-".'
      : 'Passwords are 8 to 128 characters long.';
    error.hidden = false;
    return;
  }
  try {
    if (register) {
      await api.register(username, password);
    }
    const login = await api.login(username, password);
    $('password').value = '';
    startChat(sessionOf(login));
  } catch (e) {
    error.textContent = e.message;
    error.hidden = false;
  }
}

function sessionOf(answer) {
  return { token: answer.accessToken, expiresAt: answer.expiresAt, username: answer.user.username };
}

// Ends the session here (after the server ended it, or with it): back to the login form.
function signedOut(notice) {
  clearTimeout(refreshTimer);
  session = null;
  if (connection) {
    connection.stop();
    connection = null;
  }
  store = null;
  if (passwordDialog) {
    passwordDialog.close();
  }
  showLogin(notice);
}

async function logout() {
  if (connection) {
    connection.stop(); // its revocation is no news
  }
  try {
    await api.logout();
  } catch (e) {
    // signed out here anyway; the session's tokens expire on their own
  }
  signedOut();
}

async function logoutEverywhere() {
  try {
    const token = await freshToken();
    connection.stop(); // its revocation is no news
    await api.logoutEverywhere(token);
    signedOut('You are signed out on every device.');
  } catch (e) {
    if (session && connection) {
      connection.resume(session.token);
      showProblem(e.message);
    }
  }
}

// ---- keeping the session ---------------------------------------------------------------------------------------

// Renews the access token a minute (or a fifth of its life, if shorter) before it expires, and hands it to the open
// connection, so that nothing is interrupted. One refresh at a time: the refresh token is single use.
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  const life = new Date(session.expiresAt).getTime() - Date.now();
  const lead = Math.min(60000, life / 5);
  refreshTimer = setTimeout(() => refresh().catch(() => {}), Math.max(0, life - lead));
}

function refresh() {
  if (!refreshing) {
    refreshing = refreshWithRetry(1000).finally(() => { refreshing = null; });
  }
  return refreshing;
}

async function refreshWithRetry(backoff) {
  for (;;) {
    const current = session;
    try {
      const answer = await api.refresh();
      if (session !== current || !session) {
        return session; // signed out meanwhile
      }
      session = sessionOf(answer);
      scheduleRefresh();
      if (connection) {
        connection.renew(session.token);
      }
      return session;
    } catch (e) {
      if ((e.status === 401 || e.status === 403) && session === current) {
        signedOut(e.code === 'refresh_token_reused'
          ? 'Your session was ended because it was used from somewhere else. Please log in again.'
          : 'You were signed out. Please log in again.');
        throw e;
      }
      if (session !== current) {
        throw e; // signed out meanwhile
      }
      // 409: another tab refreshed a moment ago and the cookie holds its token now; else the network: retry
      await new Promise((resolve) => { setTimeout(resolve, e.status === 409 ? 300 : backoff); });
      backoff = Math.min(30000, backoff * 2);
    }
  }
}

async function freshToken() {
  if (new Date(session.expiresAt).getTime() - Date.now() < 5000) {
    await refresh();
  }
  return session.token;
}

// ---- chat ----------------------------------------------------------------------------------------------------

function startChat(signedIn) {
  session = signedIn;
  show('chat');
  $('me').textContent = session.username;
  store = new ChatStore(session.username);
  const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  connection = new ChatConnection(scheme + location.host + config.webSocketPath, session.token, store);
  connection.addEventListener('state', (e) => renderState(e.detail));
  connection.addEventListener('catching-up', (e) => renderState(e.detail ? 'catching-up' : connection.state));
  // the server closed the connection for its token's sake: refresh, then connect again where it left off
  connection.addEventListener('unauthorized', () => {
    const mine = connection;
    refresh().then((fresh) => {
      if (fresh && connection === mine) {
        mine.resume(fresh.token);
      }
    }, () => {});
  });
  connection.addEventListener('problem', (e) => showProblem(e.detail));
  connection.addEventListener('welcome', () => loadConversations());
  store.addEventListener('change', () => render());
  scheduleRefresh();
  connection.start();
  openConversation(ROOM, 'Everyone');
}

async function loadConversations() {
  try {
    const answer = await connection.conversations();
    for (const item of answer.conversations) {
      store.addMessage(item.last, { live: false });
    }
  } catch (e) {
    // shown again on the next connection
  }
  const active = store.conversations.get(store.active);
  if (active && !active.loaded) {
    loadOlder();
  }
}

function openConversation(key, title) {
  store.open(key, title);
  $('chat-view').classList.add('show-conversation');
  const conversation = store.conversation(key);
  if (!conversation.loaded && connection.state === 'connected') {
    loadOlder();
  }
  $('composer-text').focus();
}

let loading = false;
async function loadOlder() {
  const conversation = store.conversation(store.active);
  if (loading || !conversation.hasMore || connection.state !== 'connected') {
    return;
  }
  loading = true;
  const ids = [...conversation.messages.keys()].sort();
  const list = $('messages');
  const fromBottom = list.scrollHeight - list.scrollTop;
  try {
    const field = conversation.key === ROOM ? Field.ROOM : Field.WITH;
    const value = conversation.key === ROOM ? Rooms.ALL : conversation.title;
    const page = await connection.history(field, value, conversation.loaded ? ids[0] : null);
    store.addHistory(conversation.key, page.messages, page.next);
    list.scrollTop = list.scrollHeight - fromBottom;
  } catch (e) {
    // try again on the next scroll
  } finally {
    loading = false;
  }
}

function send() {
  const text = $('composer-text').value;
  if (!text.trim()) {
    return;
  }
  const conversation = store.conversation(store.active);
  connection.send(conversation.key === ROOM ? null : conversation.title, text);
  $('composer-text').value = '';
  const list = $('messages');
  list.scrollTop = list.scrollHeight;
}

function showProblem(message) {
  const problem = $('chat-error');
  problem.textContent = message;
  problem.hidden = false;
  setTimeout(() => { problem.hidden = true; }, 5000);
}

// ---- rendering -----------------------------------------------------------------------------------------------

function renderState(state) {
  const badge = $('connection-state');
  badge.textContent = state;
  badge.className = 'state state-' + state;
}

function conversationItem(key, title, unread, active) {
  const item = el('li', active ? 'active' : '');
  item.tabIndex = 0;
  item.dataset.key = key;
  item.append(el('span', 'name', title));
  if (unread > 0) {
    const badge = el('span', 'badge', String(unread));
    badge.setAttribute('aria-label', unread + ' unread');
    item.append(badge);
  }
  const open = () => openConversation(key, title);
  item.addEventListener('click', open);
  item.addEventListener('keydown', (e) => { if (e.key === 'Enter') { open(); } });
  return item;
}

function render() {
  if (!store) {
    return;
  }
  const conversations = $('conversation-list');
  conversations.replaceChildren(conversationItem(ROOM, 'Everyone', store.unread(ROOM), store.active === ROOM),
    ...store.list().map((c) => conversationItem(c.key, c.title, store.unread(c.key), store.active === c.key)));

  const online = $('online-list');
  online.replaceChildren(...[...store.online].filter((name) => name.toLowerCase() !== store.meKey).sort()
    .map((name) => {
      const item = conversationItem(dmKey(name), name, 0, false);
      item.prepend(el('span', 'dot'));
      return item;
    }));

  const conversation = store.conversation(store.active);
  $('conversation-title').textContent = conversation.title;
  const list = $('messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const items = [...conversation.messages.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map(messageItem);
  for (const pending of conversation.pending.values()) {
    items.push(messageItem({ from: store.me, text: pending.text, ts: pending.ts, status: pending.status,
      reason: pending.reason }));
  }
  if (conversation.hasMore && conversation.loaded) {
    items.unshift(el('li', 'hint', 'Scroll up for older messages'));
  }
  list.replaceChildren(...items);
  if (atBottom) {
    list.scrollTop = list.scrollHeight;
  }
}

const TICKS = { pending: ['🕓', 'waiting to send'], sent: ['✓', 'sent'], delivered: ['✓✓', 'delivered'],
  failed: ['!', 'not sent'] };

function messageItem(message) {
  const mine = message.from.toLowerCase() === store.meKey;
  const item = el('li', 'message' + (mine ? ' mine' : ''));
  if (message.id) {
    item.dataset.id = message.id;
  }
  item.dataset.status = mine ? message.status : 'received';
  if (!mine) {
    item.append(el('span', 'from', message.from));
  }
  item.append(el('span', 'text', message.text));
  const meta = el('span', 'meta', new Date(message.ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
  if (mine) {
    const [symbol, label] = TICKS[message.status] || TICKS.sent;
    const tick = el('span', 'tick tick-' + message.status, ' ' + symbol);
    tick.setAttribute('aria-label', label);
    tick.title = message.reason || label;
    meta.append(tick);
  }
  item.append(meta);
  return item;
}

// ---- wiring --------------------------------------------------------------------------------------------------

function wire() {
  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    submitCredentials(false);
  });
  $('register-button').addEventListener('click', () => submitCredentials(true));
  $('logout').addEventListener('click', () => logout());
  $('logout-all').addEventListener('click', () => logoutEverywhere());
  $('composer').addEventListener('submit', (e) => {
    e.preventDefault();
    send();
  });
  $('composer-text').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      send();
    }
  });
  $('messages').addEventListener('scroll', () => {
    if ($('messages').scrollTop < 40) {
      loadOlder();
    }
  });
  $('new-chat-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const name = $('new-chat-name').value.trim();
    if (name) {
      openConversation(dmKey(name), name);
      $('new-chat-name').value = '';
    }
  });
  $('back').addEventListener('click', () => $('chat-view').classList.remove('show-conversation'));
  document.addEventListener('visibilitychange', () => {
    if (store && document.visibilityState === 'visible') {
      store.markRead(store.active);
      render();
    }
  });
}

async function boot() {
  wire();
  try {
    const response = await fetch('/api/chat/config');
    if (response.ok) {
      config = { ...config, ...(await response.json()) };
    }
  } catch (e) {
    // same-origin defaults
  }
  api = new AuthApi(config.authUrl);
  // the change ends the user's other sessions only: this one goes on with the same token and cookie
  passwordDialog = new PasswordDialog(api, {
    token: () => freshToken(),
    renewedToken: async () => {
      const renewed = await refresh();
      if (!renewed) {
        throw new Error('signed out');
      }
      return renewed.token;
    },
  });
  passwordDialog.wire($('change-password'));
  try {
    // a session survives a reload through its refresh cookie
    startChat(sessionOf(await api.refresh()));
  } catch (e) {
    showLogin(e.code === 'refresh_token_reused' ? e.message : '');
  }
}

boot();
