// A chat server inside the page, for BrowserAppFramesTest: it replaces WebSocket (and the auth API's refresh, so
// the app starts signed in as __ME__) before the app's scripts run, and answers the frames of docs/protocol.md the
// way the chat service does, issue 18 included. Every frame the app sends is kept in window.fakeChat.sent; a test
// delivers frames of its own with window.fakeChat.push(frame).
(() => {
  const me = '__ME__';
  let counter = 0;
  // a message id as the server makes them: 12 hex digits of milliseconds, 4 of the instance, 6 of a counter
  const nextId = () => Date.now().toString(16).padStart(12, '0') + '0001' + (++counter).toString(16).padStart(6, '0');
  const fake = {
    me,
    nextId,
    sent: [],
    socket: null,
    online: [me],
    settings: { readReceipts: true, showLastSeen: true },
    conversations: [],
    groupList: [],
    markers: {},
    history: [],
    groups: new Map(),
  };
  window.fakeChat = fake;

  const push = (frame) => {
    if (fake.socket && fake.socket.readyState === 1) {
      fake.socket.dispatchEvent(new MessageEvent('message', { data: JSON.stringify(frame) }));
    }
  };
  // later, as a real server would
  fake.push = (frame) => setTimeout(() => push(frame), 0);

  const info = (group, requestId) => ({ type: 'group_info', requestId, group: group.group, name: group.name,
    createdBy: group.createdBy, createdAt: group.createdAt, members: group.members });
  const event = (group, fields) => fake.push({ type: 'message', id: nextId(), from: me, group: group.group, text: '',
    ts: Date.now(), ...fields });

  const answers = {
    auth: () => {
      fake.push({ type: 'welcome', user: { id: 'u-' + me, username: me }, instance: 'fake', online: fake.online,
        limits: { maxTextLength: 4000, messagesPerSecond: 20, burst: 40, editWindowMs: 900000 },
        settings: fake.settings });
      fake.push({ type: 'replayed', count: 0, truncated: false });
    },
    ping: () => fake.push({ type: 'pong' }),
    conversations: (f) => fake.push({ type: 'conversations', requestId: f.requestId,
      conversations: fake.conversations }),
    groups: (f) => fake.push({ type: 'groups', requestId: f.requestId, groups: fake.groupList }),
    history: (f) => fake.push({ type: 'history', requestId: f.requestId,
      messages: f.room ? [] : fake.history.filter((m) => m.from === f.with || m.to === f.with), next: null,
      ...(f.room ? {} : { markers: fake.markers }) }),
    send: (f) => fake.push({ type: 'sent', clientId: f.clientId, id: nextId(), ts: Date.now() }),
    edit: (f) => fake.push({ type: 'edited', clientId: f.clientId, id: f.id, text: f.text, editedAt: Date.now(),
      rev: nextId() }),
    delete: (f) => fake.push({ type: 'deleted', clientId: f.clientId, id: f.id, rev: nextId() }),
    settings: (f) => {
      for (const key of ['readReceipts', 'showLastSeen']) {
        if (typeof f[key] === 'boolean') {
          fake.settings[key] = f[key];
        }
      }
      fake.push({ type: 'settings', ...fake.settings });
    },
    group_create: (f) => {
      const now = Date.now();
      const group = { group: 'g-' + '5f0c2a9e41b7d3806ac1e2f4'.slice(0, 21) + (fake.groups.size + 1000).toString(16),
        name: f.name.trim(), createdBy: me, createdAt: now,
        members: [{ user: me, role: 'admin', joinedAt: now },
          ...f.members.map((user) => ({ user, role: 'member', joinedAt: now }))] };
      fake.groups.set(group.group, group);
      fake.push(info(group, f.requestId));
      event(group, { event: 'created', name: group.name, users: f.members });
    },
    group_info: (f) => fake.push(info(fake.groups.get(f.group), f.requestId)),
    group_add: (f) => {
      const group = fake.groups.get(f.group);
      f.users.forEach((user) => group.members.push({ user, role: 'member', joinedAt: Date.now() }));
      fake.push(info(group, f.requestId));
      event(group, { event: 'added', users: f.users });
    },
    group_remove: (f) => {
      const group = fake.groups.get(f.group);
      group.members = group.members.filter((m) => !f.users.includes(m.user));
      fake.push(info(group, f.requestId));
      event(group, { event: 'removed', users: f.users });
    },
    group_admin: (f) => {
      const group = fake.groups.get(f.group);
      group.members.filter((m) => f.users.includes(m.user)).forEach((m) => { m.role = 'admin'; });
      fake.push(info(group, f.requestId));
      event(group, { event: 'admin', users: f.users });
    },
    group_leave: (f) => {
      const group = fake.groups.get(f.group);
      group.members = group.members.filter((m) => m.user !== me);
      event(group, { event: 'left' });
      fake.push({ type: 'group_left', requestId: f.requestId, group: f.group });
    },
  };

  class FakeSocket extends EventTarget {
    static CONNECTING = 0;
    static OPEN = 1;
    static CLOSING = 2;
    static CLOSED = 3;

    constructor(url) {
      super();
      this.url = url;
      this.readyState = FakeSocket.CONNECTING;
      fake.socket = this;
      setTimeout(() => {
        this.readyState = FakeSocket.OPEN;
        this.dispatchEvent(new Event('open'));
      }, 0);
    }

    send(text) {
      const frame = JSON.parse(text);
      fake.sent.push(frame);
      (answers[frame.type] || (() => {}))(frame);
    }

    close(code) {
      this.readyState = FakeSocket.CLOSED;
      this.dispatchEvent(new CloseEvent('close', { code: code || 1000 }));
    }
  }
  window.WebSocket = FakeSocket;

  // the auth API: the session of the cookie is always __ME__'s
  const realFetch = window.fetch.bind(window);
  window.fetch = (url, options) => {
    if (String(url).endsWith('/api/auth/refresh')) {
      const body = { accessToken: 'token-of-' + me, expiresAt: new Date(Date.now() + 3600000).toISOString(),
        user: { id: 'u-' + me, username: me } };
      return Promise.resolve(new Response(JSON.stringify(body), { status: 200,
        headers: { 'Content-Type': 'application/json' } }));
    }
    return realFetch(url, options);
  };
})();
