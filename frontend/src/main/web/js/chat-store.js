// What the app knows: conversations and their messages (each once, by id), unread counts, who is online, and
// the messages waiting to be sent. The resume point, unread marks and the outbox survive a reload.

import { Rooms } from './protocol.js';

export const ROOM = 'room:' + Rooms.ALL;

export function dmKey(username) {
  return 'dm:' + username.toLowerCase();
}

export class ChatStore extends EventTarget {
  constructor(me) {
    super();
    this.me = me;
    this.meKey = me.toLowerCase();
    this.prefix = 'microchat.' + this.meKey + '.';
    this.conversations = new Map();
    this.online = new Set();
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

  conversation(key, title) {
    let conversation = this.conversations.get(key);
    if (!conversation) {
      conversation = { key, title: title || key, messages: new Map(), pending: new Map(), hasMore: true, loaded: false };
      this.conversations.set(key, conversation);
    }
    return conversation;
  }

  keyOf(message) {
    if (message.room) {
      return ROOM;
    }
    const other = message.from.toLowerCase() === this.meKey ? message.to : message.from;
    return dmKey(other);
  }

  titleOf(message) {
    if (message.room) {
      return 'Everyone';
    }
    return message.from.toLowerCase() === this.meKey ? message.to : message.from;
  }

  // Adds a message; false when it was held already (a replay repeats a few).
  addMessage(message, { live = true } = {}) {
    const conversation = this.conversation(this.keyOf(message), this.titleOf(message));
    if (conversation.messages.has(message.id)) {
      return false;
    }
    conversation.messages.set(message.id, { ...message, status: message.deliveredAt ? 'delivered' : 'sent' });
    if (live && (!this.lastId || message.id > this.lastId)) {
      this.lastId = message.id;
      localStorage.setItem(this.prefix + 'lastId', this.lastId);
    }
    if (live && conversation.key === this.active && document.visibilityState !== 'hidden') {
      this.markRead(conversation.key);
    }
    this.#changed();
    return true;
  }

  addHistory(key, messages, next) {
    const conversation = this.conversation(key);
    for (const message of messages) {
      if (!conversation.messages.has(message.id)) {
        conversation.messages.set(message.id, { ...message, status: message.deliveredAt ? 'delivered' : 'sent' });
      }
    }
    conversation.hasMore = next !== null;
    conversation.loaded = true;
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
    const isRoom = pending.key === ROOM;
    const message = { id, ts, from: this.me, text: pending.text, ...(isRoom ? { room: Rooms.ALL } : { to: pending.target }) };
    if (!conversation.messages.has(id)) {
      conversation.messages.set(id, { ...message, status: 'sent' });
    }
    this.#changed();
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
    for (const conversation of this.conversations.values()) {
      const message = conversation.messages.get(id);
      if (message) {
        message.status = 'delivered';
        this.#changed();
        return;
      }
    }
  }

  setOnline(names) {
    this.online = new Set(names);
    this.#changed();
  }

  presence(online, offline) {
    online.forEach((name) => this.online.add(name));
    offline.forEach((name) => this.online.delete(name));
    this.#changed();
  }

  unread(key) {
    const conversation = this.conversations.get(key);
    if (!conversation) {
      return 0;
    }
    const mark = this.lastRead[key] || '';
    let count = 0;
    for (const message of conversation.messages.values()) {
      if (message.id > mark && message.from.toLowerCase() !== this.meKey) {
        count++;
      }
    }
    return count;
  }

  markRead(key) {
    const conversation = this.conversations.get(key);
    if (!conversation || conversation.messages.size === 0) {
      return;
    }
    const newest = [...conversation.messages.keys()].sort().at(-1);
    if ((this.lastRead[key] || '') < newest) {
      this.lastRead[key] = newest;
      localStorage.setItem(this.prefix + 'lastRead', JSON.stringify(this.lastRead));
    }
  }

  open(key, title) {
    this.conversation(key, title);
    this.active = key;
    this.markRead(key);
    this.#changed();
  }

  // Conversations, most recent first; the room always first.
  list() {
    const newest = (c) => {
      const ids = [...c.messages.keys()].sort();
      return ids.length ? ids.at(-1) : '';
    };
    return [...this.conversations.values()]
      .filter((c) => c.key !== ROOM)
      .sort((a, b) => (newest(b) > newest(a) ? 1 : -1));
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
