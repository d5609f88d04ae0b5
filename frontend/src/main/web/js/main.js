// The MicroChat browser app: login, then the chat (the room, private chats and groups, with read receipts,
// typing, edits and deletes, unread counts kept by the server, last seen and settings). Everything from the server
// is shown with textContent, never parsed as HTML.

import { AuthApi } from './auth-api.js';
import { ChatConnection } from './chat-connection.js';
import { ChatStore, ROOM, dmKey } from './chat-store.js';
import { ConversationView, el, titleOf } from './conversation-view.js';
import { GroupDialog, MembersDialog } from './group-dialogs.js';
import { PasswordDialog } from './password-dialog.js';
import { Groups } from './protocol.js';
import { SettingsDialog } from './settings-dialog.js';

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
let view = null;
// the message being edited in the composer: {id, key}
let editing = null;

function show(view) {
  $('login-view').hidden = view !== 'login';
  $('chat-view').hidden = view !== 'chat';
  $('logout').hidden = view !== 'chat';
  $('logout-all').hidden = view !== 'chat';
  $('change-password').hidden = view !== 'chat';
  $('settings-open').hidden = view !== 'chat';
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
  editing = null;
  if (passwordDialog) {
    passwordDialog.close();
  }
  for (const id of ['group-dialog', 'members-dialog', 'settings-dialog']) {
    if ($(id).open) {
      $(id).close();
    }
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

// The app's parts the dialogs use.
const app = {
  store: () => store,
  connection: () => connection,
  conversation: () => store.conversation(store.active),
  opened: (key, title) => openConversation(key, title),
};
const groupDialog = new GroupDialog(app);
const membersDialog = new MembersDialog(app);
const settingsDialog = new SettingsDialog(app);

function startChat(signedIn) {
  session = signedIn;
  show('chat');
  $('me').textContent = session.username;
  store = new ChatStore(session.username);
  view = new ConversationView(store, { edit: startEdit, remove: removeMessage, changed: () => render() });
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
  connection.addEventListener('changes-truncated', () => reloadShown());
  store.addEventListener('change', () => render());
  store.addEventListener('read', (e) => scheduleRead(e.detail.conversation, e.detail.upTo));
  store.addEventListener('membership', (e) => refreshGroup(e.detail));
  scheduleRefresh();
  connection.start();
  openConversation(ROOM, 'Everyone');
}

// After each welcome: the server's list of conversations (their unread counts, markers, last seen) and of groups,
// then the open conversation's history; and the open one is marked read again (a 'read' may have been lost).
async function loadConversations() {
  // a failure is shown again on the next connection; without 'groups', the groups come with their messages
  const [conversations, groups] = await Promise.allSettled([connection.conversations(), connection.groups()]);
  if (conversations.status === 'fulfilled') {
    conversations.value.conversations.forEach((item) => store.addConversation(item));
  }
  if (groups.status === 'fulfilled') {
    groups.value.groups.forEach((entry) => store.knownGroup(entry));
  }
  const active = store.conversations.get(store.active);
  if (active && !active.loaded) {
    loadOlder();
  }
  if (active && active.kind === 'group') {
    refreshGroup(active);
  }
  markActiveRead();
}

// After a replay that left out older changes to messages: the conversations shown are loaded again.
function reloadShown() {
  for (const conversation of store.conversations.values()) {
    conversation.loaded = false;
    conversation.hasMore = true;
  }
  loadOlder();
}

function openConversation(key, title) {
  if (editing && editing.key !== key) {
    cancelEdit();
  }
  view.closeMenus();
  store.open(key, title);
  $('chat-view').classList.add('show-conversation');
  const conversation = store.conversation(key);
  if (!conversation.loaded && connection.state === 'connected') {
    loadOlder();
  }
  if (conversation.kind === 'group' && !conversation.members) {
    refreshGroup(conversation);
  }
  $('composer-text').focus();
}

// A group's members and markers, asked for again (after a membership change, or when it is opened).
// One request at a time per group: a change announced while one is under way asks again after it.
async function refreshGroup(conversation) {
  if (conversation.kind !== 'group' || connection.state !== 'connected') {
    return;
  }
  if (conversation.refreshing) {
    conversation.stale = true;
    return;
  }
  conversation.refreshing = true;
  try {
    await connection.groupInfo(conversation.target);
  } catch (e) {
    // not a member any more (the removal event said so), or no answer: the list stays as it was
  } finally {
    conversation.refreshing = false;
  }
  membersDialog.render();
  if (conversation.stale) {
    conversation.stale = false;
    refreshGroup(conversation);
  }
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
    const page = await connection.history(conversation, conversation.loaded ? ids[0] : null);
    store.addHistory(conversation.key, page.messages, page.next, page.markers);
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
  if (editing) {
    finishEdit(text);
    return;
  }
  const conversation = store.conversation(store.active);
  if (conversation.kind === 'group' && conversation.left) {
    return;
  }
  connection.send(conversation, text);
  $('composer-text').value = '';
  const list = $('messages');
  list.scrollTop = list.scrollHeight;
}

// ---- read markers and typing ---------------------------------------------------------------------------------

// Per conversation: the newest id reported read, when, and the newest waiting to be reported. At most one 'read'
// a second per conversation, always the newest.
const reads = new Map();

function scheduleRead(conversation, upTo) {
  let read = reads.get(conversation.key);
  if (!read) {
    read = { sent: '', at: 0, upTo: '', timer: null };
    reads.set(conversation.key, read);
  }
  if (upTo > read.upTo) {
    read.upTo = upTo;
  }
  if (read.timer || read.upTo <= read.sent) {
    return;
  }
  read.timer = setTimeout(() => {
    read.timer = null;
    if (read.upTo > read.sent && connection && connection.state === 'connected') {
      connection.read(conversation, read.upTo);
      read.sent = read.upTo;
      read.at = Date.now();
    }
  }, Math.max(0, read.at + 1000 - Date.now()));
}

function markActiveRead() {
  if (store && document.visibilityState === 'visible') {
    store.markRead(store.active);
  }
}

// While the user types in a private or group chat: one 'typing' every 3 s at most (the server drops the rest).
const TYPING_EVERY_MS = 3000;
const typingSent = new Map();

function typed() {
  const conversation = store.conversation(store.active);
  if (editing || conversation.kind === 'room' || conversation.left || !$('composer-text').value.trim()) {
    return;
  }
  const last = typingSent.get(conversation.key) || 0;
  if (Date.now() - last >= TYPING_EVERY_MS && connection.state === 'connected') {
    typingSent.set(conversation.key, Date.now());
    connection.typing(conversation);
  }
}

// ---- editing and deleting ------------------------------------------------------------------------------------

function startEdit(message) {
  editing = { id: message.id, key: store.active };
  $('edit-bar').hidden = false;
  $('composer-text').value = message.text;
  $('composer-text').focus();
}

function cancelEdit() {
  editing = null;
  $('edit-bar').hidden = true;
  $('composer-text').value = '';
}

async function finishEdit(text) {
  const { id } = editing;
  const message = store.find(id);
  if (message && message.text === text) {
    cancelEdit();
    return;
  }
  try {
    await connection.edit(id, text);
    cancelEdit();
  } catch (e) {
    showProblem(e.message);
  }
}

async function removeMessage(message) {
  try {
    await connection.delete(message.id);
  } catch (e) {
    showProblem(e.message);
  }
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

// "999+" where the server stopped counting.
function unreadLabel(conversation) {
  const count = store.unread(conversation.key);
  const capped = conversation.server && conversation.server.unread >= Groups.UNREAD_CAP
    && count === conversation.server.unread;
  return capped ? '999+' : String(count);
}

function conversationItem(conversation, active, title = titleOf(conversation)) {
  const item = el('li', active ? 'active' : '');
  item.tabIndex = 0;
  item.dataset.key = conversation.key;
  item.dataset.kind = conversation.kind;
  item.append(el('span', 'name', title));
  if (store.unread(conversation.key) > 0) {
    const label = unreadLabel(conversation);
    const badge = el('span', 'badge', label);
    badge.dataset.testid = 'unread-badge';
    badge.setAttribute('aria-label', label + ' unread');
    item.append(badge);
  }
  const open = () => openConversation(conversation.key, title);
  item.addEventListener('click', open);
  item.addEventListener('keydown', (e) => { if (e.key === 'Enter') { open(); } });
  return item;
}

function render() {
  if (!store) {
    return;
  }
  const conversations = $('conversation-list');
  conversations.replaceChildren(conversationItem(store.conversation(ROOM), store.active === ROOM),
    ...store.list().map((c) => conversationItem(c, store.active === c.key)));

  const online = $('online-list');
  online.replaceChildren(...store.onlineNames().filter((name) => !store.isMe(name)).sort()
    .map((name) => {
      const key = dmKey(name);
      const item = conversationItem(store.conversations.get(key) || { key, kind: 'dm' }, false, name);
      item.querySelector('.badge')?.remove();
      item.prepend(el('span', 'dot'));
      return item;
    }));

  const conversation = store.conversation(store.active);
  view.render(conversation);
  $('edit-bar').hidden = !editing;
  membersDialog.render();
  settingsDialog.render();
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
    } else if (e.key === 'Escape' && editing) {
      cancelEdit();
    }
  });
  $('composer-text').addEventListener('input', () => typed());
  $('edit-cancel').addEventListener('click', () => {
    cancelEdit();
    $('composer-text').focus();
  });
  // a click elsewhere, or Escape, closes a message's menu
  document.addEventListener('click', (e) => {
    if (view && !e.target.closest('.menu, .message-actions, .read-by') && view.closeMenus()) {
      render();
    }
  });
  $('messages').addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && view && view.closeMenus()) {
      render();
      $('composer-text').focus();
    }
  });
  groupDialog.wire($('new-group'));
  membersDialog.wire($('group-members-open'));
  settingsDialog.wire($('settings-open'));
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
      markActiveRead();
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
