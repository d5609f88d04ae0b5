// What the app knows: conversations (the room, private chats and groups) and their messages (each once, by id),
// read markers (the user's own and the other participants'), unread counts, who is online and when the others were
// last seen, who is typing, the groups' members, the user's settings and the messages waiting to be sent. The
// resume point, the user's own read marks and the outbox survive a reload.

import { Groups, Rooms } from './protocol.js';

export const ROOM = 'room:' + Rooms.ALL;
// How long "alice is typing" stays without another typing frame from her (docs/protocol.md, Typing).
export const TYPING_SHOWN_MS = 6000;
// How long after a message its sender may edit it when the welcome does not say (docs/protocol.md, Editing and
// deleting: app.messages.edit-window, 15 minutes by default).
export const EDIT_WINDOW_MS = 15 * 60 * 1000;

export function dmKey(username) {
  return 'dm:' + username.toLowerCase();
}

export function groupKey(group) {
  return 'group:' + group;
}

// The larger of two ids (ids sort by time); either may be missing.
function newer(a, b) {
  if (!a) {
    return b || null;
  }
  return b && b > a ? b : a;
}

export class ChatStore extends EventTarget {
  constructor(me) {
    super();
    this.me = me;
    this.meKey = me.toLowerCase();
    this.prefix = 'microchat.' + this.meKey + '.';
    this.conversations = new Map();
    this.online = new Set();
    this.lastSeen = new Map();
    this.settings = { readReceipts: true, showLastSeen: true };
    this.editWindowMs = EDIT_WINDOW_MS;
    this.lastId = localStorage.getItem(this.prefix + 'lastId');
    // while older missed messages are being paged in: where the connection that found them resumed
    this.gap = JSON.parse(localStorage.getItem(this.prefix + 'gap') || 'null');
    this.lastRead = JSON.parse(localStorage.getItem(this.prefix + 'lastRead') || '{}');
    this.outbox = JSON.parse(localStorage.getItem(this.prefix + 'outbox') || '[]');
    this.active = ROOM;
    this.conversation(ROOM, 'Everyone');
    for (const pending of this.outbox) {
      this.conversation(pending.key, pending.title).pending.set(pending.clientId, pending);
    }
  }

  isMe(username) {
    return !!username && username.toLowerCase() === this.meKey;
  }

  // Where the next connection resumes: after the newest message held, unless a truncated replay's older messages
  // are not all in yet.
  get resumeAfter() {
    return this.gap ? this.gap.resumedAfter : this.lastId;
  }

  // While a gap is open the first one's start stands; only the paging started last (an earlier one may belong to
  // a connection that died) closes it.
  openGap(resumedAfter) {
    if (!this.gap) {
      this.gap = { resumedAfter };
      localStorage.setItem(this.prefix + 'gap', JSON.stringify(this.gap));
    }
    this.gapTicket = (this.gapTicket || 0) + 1;
    return this.gapTicket;
  }

  closeGap(ticket) {
    if (ticket === this.gapTicket) {
      this.gap = null;
      localStorage.removeItem(this.prefix + 'gap');
    }
  }

  // The conversation of a key, made on first use. Its kind and target (the peer's username, the group's id) come
  // from the key; a group's title is its name once known.
  conversation(key, title) {
    let conversation = this.conversations.get(key);
    if (!conversation) {
      const [kind, ...rest] = key.split(':');
      // a private chat's target is the username as spelled where it was first seen
      const target = kind === 'room' ? null : (kind === 'dm' && title) || rest.join(':');
      conversation = { key, kind, target, title: title || key,
        messages: new Map(), pending: new Map(), hasMore: true, loaded: false, markers: new Map(),
        typing: new Map(), server: null, members: null, left: false };
      this.conversations.set(key, conversation);
    } else if (title && (conversation.title === key || conversation.kind === 'group')) {
      conversation.title = title;
      if (conversation.kind === 'dm') {
        conversation.target = title;
      }
    }
    return conversation;
  }

  keyOf(message) {
    if (message.room) {
      return ROOM;
    }
    if (message.group) {
      return groupKey(message.group);
    }
    return dmKey(this.isMe(message.from) ? message.to : message.from);
  }

  titleOf(message) {
    if (message.room) {
      return 'Everyone';
    }
    if (message.group) {
      return message.event === Groups.EVENT_CREATED && message.name ? message.name : null;
    }
    return this.isMe(message.from) ? message.to : message.from;
  }

  // Adds a message; false when it was held already (a replay repeats a few).
  addMessage(message, { live = true } = {}) {
    const conversation = this.conversation(this.keyOf(message), this.titleOf(message));
    if (conversation.messages.has(message.id)) {
      this.#update(conversation.messages.get(message.id), message);
      return false;
    }
    conversation.messages.set(message.id, this.#held(message));
    if (live && (!this.lastId || message.id > this.lastId)) {
      this.lastId = message.id;
      localStorage.setItem(this.prefix + 'lastId', this.lastId);
    }
    if (live) {
      this.#membershipChanged(conversation, message);
      this.#stoppedTyping(conversation, message.from);
    }
    if (live && conversation.key === this.active && document.visibilityState !== 'hidden') {
      this.markRead(conversation.key);
    }
    this.#changed();
    return true;
  }

  addHistory(key, messages, next, markers) {
    const conversation = this.conversation(key);
    for (const message of messages) {
      if (conversation.messages.has(message.id)) {
        this.#update(conversation.messages.get(message.id), message);
      } else {
        conversation.messages.set(message.id, this.#held(message));
      }
    }
    this.#mergeMarkers(conversation, markers);
    conversation.hasMore = next !== null;
    conversation.loaded = true;
    if (key === this.active && document.visibilityState !== 'hidden') {
      this.markRead(key);
    }
    this.#changed();
  }

  // An entry of the server's conversation list: its newest message, unread count, markers and the peer's last seen.
  addConversation(item) {
    const key = item.group ? groupKey(item.group) : dmKey(item.with);
    const conversation = this.conversation(key, item.group ? item.name : item.with);
    if (item.last) {
      this.addMessage(item.last, { live: false });
    }
    this.#mergeMarkers(conversation, item.markers);
    this.#ownMarker(conversation, item.readUpTo, item.unread);
    if (item.lastSeen && item.with) {
      this.lastSeen.set(item.with.toLowerCase(), item.lastSeen);
    }
    this.#changed();
  }

  // The user's own marker moved (on this device or another): the badge follows on every device.
  ownMarker(key, upTo, unread) {
    this.#ownMarker(this.conversation(key), upTo, unread);
    this.#changed();
  }

  // Another participant read up to a message (a read receipt).
  readBy(key, by, upTo) {
    this.#mergeMarkers(this.conversation(key), { [by]: upTo });
    this.#changed();
  }

  addPending(key, title, target, text) {
    const pending = { clientId: crypto.randomUUID(), key, title, target, text, ts: Date.now(), status: 'pending' };
    this.conversation(key, title).pending.set(pending.clientId, pending);
    this.outbox.push(pending);
    this.#saveOutbox();
    this.#changed();
    return pending;
  }

  // The server stored a pending message: it becomes a message with the server's id.
  acknowledged(clientId, id, ts) {
    const pending = this.#takeFromOutbox(clientId);
    if (!pending) {
      return;
    }
    const conversation = this.conversation(pending.key, pending.title);
    conversation.pending.delete(clientId);
    const message = { id, ts, from: this.me, text: pending.text, ...this.addressOf(conversation) };
    if (!conversation.messages.has(id)) {
      conversation.messages.set(id, this.#held(message));
    }
    this.#changed();
  }

  // Where a message of a conversation goes: {room}, {group} or {to}.
  addressOf(conversation) {
    if (conversation.kind === 'room') {
      return { room: Rooms.ALL };
    }
    return conversation.kind === 'group' ? { group: conversation.target } : { to: conversation.target };
  }

  failed(clientId, reason) {
    const pending = this.#takeFromOutbox(clientId);
    if (!pending) {
      return;
    }
    const conversation = this.conversation(pending.key, pending.title);
    conversation.pending.set(clientId, { ...pending, status: 'failed', reason });
    this.#changed();
  }

  delivered(id) {
    const message = this.find(id);
    if (message) {
      message.status = 'delivered';
      this.#changed();
    }
  }

  // A message held, in whichever conversation; undefined when none.
  find(id) {
    for (const conversation of this.conversations.values()) {
      const message = conversation.messages.get(id);
      if (message) {
        return message;
      }
    }
    return undefined;
  }

  // An 'edited' or 'deleted' frame: the message as it is now (ignored when not held).
  changed(change, deleted) {
    const message = this.find(change.id);
    if (!message || (message.rev && change.rev && change.rev <= message.rev)) {
      return;
    }
    message.rev = change.rev;
    if (deleted) {
      message.deleted = true;
      message.text = '';
      delete message.edited;
    } else if (!message.deleted) {
      message.text = change.text;
      message.edited = change.editedAt || Date.now();
    }
    this.#changed();
  }

  setOnline(names) {
    this.online = new Set(names.map((name) => name.toLowerCase()));
    this.names = new Map(names.map((name) => [name.toLowerCase(), name]));
    this.#changed();
  }

  presence(online, offline, lastSeen) {
    this.names = this.names || new Map();
    online.forEach((name) => {
      this.online.add(name.toLowerCase());
      this.names.set(name.toLowerCase(), name);
    });
    offline.forEach((name) => this.online.delete(name.toLowerCase()));
    const seen = new Map(Object.entries(lastSeen || {}).map(([name, when]) => [name.toLowerCase(), when]));
    for (const name of offline) {
      // absent: the user hides their last seen (now, if not when it was shown before)
      if (seen.has(name.toLowerCase())) {
        this.lastSeen.set(name.toLowerCase(), seen.get(name.toLowerCase()));
      } else {
        this.lastSeen.delete(name.toLowerCase());
      }
    }
    this.#changed();
  }

  isOnline(username) {
    return this.online.has(username.toLowerCase());
  }

  // Usernames online, as they spell them.
  onlineNames() {
    return [...this.online].map((key) => (this.names && this.names.get(key)) || key);
  }

  // The welcome's limits: the edit window ('editWindowMs') when the server announces it, else the default.
  setLimits(limits) {
    const ms = limits && limits.editWindowMs;
    this.editWindowMs = Number.isInteger(ms) && ms >= 0 ? ms : EDIT_WINDOW_MS;
    this.#changed();
  }

  // Whether one's own message can still be edited (a later edit would be refused with edit_window_passed).
  canEdit(message) {
    return this.isMe(message.from) && !message.deleted && !message.event && Date.now() - message.ts < this.editWindowMs;
  }

  setSettings(settings) {
    this.settings = { ...this.settings, ...settings };
    this.#changed();
  }

  // 'from' is typing in a conversation: shown for 6 s after the last frame.
  typing(key, from) {
    const conversation = this.conversation(key);
    clearTimeout(conversation.typing.get(from.toLowerCase())?.timer);
    const timer = setTimeout(() => this.#stoppedTyping(conversation, from), TYPING_SHOWN_MS);
    conversation.typing.set(from.toLowerCase(), { name: from, timer });
    this.#changed();
  }

  // The group as 'group_info' describes it: name, members with roles, markers and last seen.
  groupInfo(info) {
    const conversation = this.conversation(groupKey(info.group), info.name);
    conversation.members = info.members.map((m) => ({ user: m.user, role: m.role, joinedAt: m.joinedAt }));
    conversation.createdBy = info.createdBy;
    conversation.left = !conversation.members.some((m) => this.isMe(m.user));
    for (const member of info.members) {
      if (member.readUpTo && !this.isMe(member.user)) {
        this.#mergeMarkers(conversation, { [member.user]: member.readUpTo });
      }
      if (member.lastSeen) {
        this.lastSeen.set(member.user.toLowerCase(), member.lastSeen);
      }
    }
    this.#changed();
    return conversation;
  }

  // An entry of the 'groups' list: the group is known by its name even before it has a message.
  knownGroup(entry) {
    this.conversation(groupKey(entry.group), entry.name);
    this.#changed();
  }

  leftGroup(group) {
    this.conversation(groupKey(group)).left = true;
    this.#changed();
  }

  isAdmin(conversation) {
    return !!conversation.members && conversation.members.some((m) => this.isMe(m.user) && m.role === Groups.ADMIN);
  }

  // Every user the app has come across (online, peers, group members), for finding members of a new group.
  knownUsers() {
    const users = new Map();
    const add = (name) => {
      if (name && !this.isMe(name)) {
        users.set(name.toLowerCase(), name);
      }
    };
    this.onlineNames().forEach(add);
    for (const conversation of this.conversations.values()) {
      if (conversation.kind === 'dm') {
        add(conversation.title);
      }
      (conversation.members || []).forEach((m) => add(m.user));
      for (const message of conversation.messages.values()) {
        add(message.from);
      }
    }
    return [...users.values()].sort((a, b) => a.localeCompare(b));
  }

  // The user's read mark of a conversation: theirs from the server or this device's, whichever is further.
  readUpTo(conversation) {
    return newer(this.lastRead[conversation.key], conversation.readUpTo);
  }

  // Unread messages: what the server counted up to the newest message it knew of, plus what arrived since; or,
  // where it counted nothing (or less than is held here), the messages held after the read mark.
  unread(key) {
    const conversation = this.conversations.get(key);
    if (!conversation) {
      return 0;
    }
    const mark = this.readUpTo(conversation) || '';
    const counts = (message) => message.id > mark && !this.isMe(message.from) && !message.event && !message.deleted;
    let held = 0;
    let since = 0;
    for (const message of conversation.messages.values()) {
      if (counts(message)) {
        held++;
        if (conversation.server && message.id > conversation.server.asOf) {
          since++;
        }
      }
    }
    return conversation.server ? Math.max(held, conversation.server.unread + since) : held;
  }

  // The newest message of a conversation (pending ones aside), or null.
  newest(conversation) {
    let newest = null;
    for (const id of conversation.messages.keys()) {
      newest = newer(newest, id);
    }
    return newest;
  }

  markRead(key) {
    const conversation = this.conversations.get(key);
    if (!conversation || conversation.messages.size === 0) {
      return;
    }
    const newest = this.newest(conversation);
    if ((this.lastRead[key] || '') < newest) {
      this.lastRead[key] = newest;
      localStorage.setItem(this.prefix + 'lastRead', JSON.stringify(this.lastRead));
    }
    if ((conversation.readUpTo || '') < newest) {
      conversation.server = null; // counted here until the server's marker says otherwise
      this.dispatchEvent(new CustomEvent('read', { detail: { conversation, upTo: newest } }));
    }
  }

  open(key, title) {
    this.conversation(key, title);
    this.active = key;
    this.markRead(key);
    this.#changed();
  }

  // Conversations, most recent first; the room (always listed first) apart.
  list() {
    const newest = (c) => this.newest(c) || '';
    return [...this.conversations.values()]
      .filter((c) => c.key !== ROOM)
      .sort((a, b) => (newest(b) > newest(a) ? 1 : -1));
  }

  #held(message) {
    return { ...message, status: message.deliveredAt ? 'delivered' : 'sent' };
  }

  // A message held, again from history or a replay, which show it as it is now: an edit or a delete the 'edited'
  // or 'deleted' frames did not bring (a replay that left older changes out) is taken from it.
  #update(held, message) {
    if (message.deleted && !held.deleted) {
      held.deleted = true;
      held.text = '';
      delete held.edited;
      this.#changed();
    } else if (message.edited && !held.deleted && (!held.edited || message.edited > held.edited)) {
      held.text = message.text;
      held.edited = message.edited;
      this.#changed();
    }
  }

  // A membership event changes the members: the removed or leaving user stops being one, and the list held is
  // stale (the app asks for it again).
  #membershipChanged(conversation, message) {
    if (!message.event) {
      return;
    }
    const users = message.users || [];
    if ((message.event === Groups.EVENT_REMOVED && users.some((u) => this.isMe(u)))
        || (message.event === Groups.EVENT_LEFT && this.isMe(message.from))) {
      conversation.left = true;
    } else if (message.event === Groups.EVENT_ADDED && users.some((u) => this.isMe(u))) {
      conversation.left = false;
    }
    this.dispatchEvent(new CustomEvent('membership', { detail: conversation }));
  }

  #stoppedTyping(conversation, from) {
    const typing = from && conversation.typing.get(from.toLowerCase());
    if (typing) {
      clearTimeout(typing.timer);
      conversation.typing.delete(from.toLowerCase());
      this.#changed();
    }
  }

  // Markers only move forward, whatever order the frames come in.
  #mergeMarkers(conversation, markers) {
    for (const [user, upTo] of Object.entries(markers || {})) {
      const key = user.toLowerCase();
      conversation.markers.set(key, newer(conversation.markers.get(key), upTo));
    }
  }

  #ownMarker(conversation, upTo, unread) {
    if (upTo && (conversation.readUpTo || '') > upTo) {
      return; // an older marker than one held
    }
    conversation.readUpTo = newer(conversation.readUpTo, upTo);
    if (Number.isInteger(unread)) {
      conversation.server = { unread, asOf: newer(this.newest(conversation), upTo) || '' };
    }
  }

  // Removes a pending send from the outbox (it was stored, or it cannot be); undefined when unknown.
  #takeFromOutbox(clientId) {
    const pending = this.outbox.find((p) => p.clientId === clientId);
    if (pending) {
      this.outbox = this.outbox.filter((p) => p.clientId !== clientId);
      this.#saveOutbox();
    }
    return pending;
  }

  #saveOutbox() {
    localStorage.setItem(this.prefix + 'outbox', JSON.stringify(this.outbox.map(({ status, reason, ...p }) => p)));
  }

  #changed() {
    this.dispatchEvent(new Event('change'));
  }
}
