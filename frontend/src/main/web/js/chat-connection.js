// One logical connection to the chat service that survives real ones: authenticates with the first frame,
// resumes after the newest message held, reconnects with exponential backoff and full jitter, and sends what
// waits in the outbox (with its original clientId, so the server stores each message once). When a replay says it
// was truncated, it pages back through the older missed messages ('catching-up' events say when). A close with
// 1013 (the server cannot check the token for now) is retried like any other; after 4401, 4403 or 4410 the app
// refreshes the token (or signs the user out) and calls resume().
//
// Besides messages it carries what issue 18 added (docs/protocol.md, Groups to Last seen): group requests, read
// markers and receipts, typing, edits and deletes, and settings, each handed to the store as it arrives.

import { ROOM, dmKey, groupKey } from './chat-store.js';
import { CloseCode, ErrorCode, Field, FrameType, Rooms } from './protocol.js';

const RETRYABLE = new Set([ErrorCode.RATE_LIMITED, ErrorCode.STORE_UNAVAILABLE, ErrorCode.DRAINING,
  ErrorCode.INTERNAL_ERROR, ErrorCode.OVERLOADED]);
// Closes after which this token is no good: the app refreshes it (or signs the user out) and calls resume().
const TOKEN_CLOSE = new Map([[CloseCode.UNAUTHORIZED, 'unauthorized'], [CloseCode.SESSION_REVOKED, 'revoked'],
  [CloseCode.TOKEN_EXPIRED, 'expired']]);
const TOKEN_ERRORS = new Set([ErrorCode.INVALID_TOKEN, ErrorCode.SESSION_REVOKED, ErrorCode.TOKEN_EXPIRED]);
// Errors of frames that expect no answer (read, typing), or from a server that does not serve issue 18 yet: nothing
// for the user to act on.
const QUIET = new Set([ErrorCode.UNKNOWN_TYPE, ErrorCode.UNKNOWN_MESSAGE, ErrorCode.NOT_A_MEMBER,
  ErrorCode.UNKNOWN_GROUP]);
// Answers that settle a request by its requestId.
const ANSWERS = new Set([FrameType.HISTORY, FrameType.CONVERSATIONS, FrameType.GROUP_INFO, FrameType.GROUP_LEFT,
  FrameType.GROUPS]);
const MAX_IDS_PER_RECEIPT = 100;
const GAP_PAGE = 100;

export function floorId(millis) {
  return Math.max(0, millis).toString(16).padStart(12, '0') + '0000000000';
}

export class ChatConnection extends EventTarget {
  constructor(url, token, store) {
    super();
    this.url = url;
    this.token = token;
    this.store = store;
    this.state = 'offline';
    this.attempt = 0;
    this.requests = new Map();
    this.stopped = false;
    this.retryTimer = null;
    this.unconfirmed = [];
    // edits and deletes waiting for their answer, by clientId
    this.changes = new Map();
  }

  // The conversation a frame from the server names: 'room', 'group' or 'with' (the other user).
  static keyOf(frame) {
    if (frame.room) {
      return ROOM;
    }
    return frame.group ? groupKey(frame.group) : dmKey(frame.with);
  }

  // The field and value that name a conversation in a frame to the server.
  static address(conversation) {
    if (conversation.kind === 'room') {
      return { [Field.ROOM]: Rooms.ALL };
    }
    return { [conversation.kind === 'group' ? Field.GROUP : Field.WITH]: conversation.target };
  }

  start() {
    this.stopped = false;
    this.#open();
    window.addEventListener('online', () => this.#reconnectSoon(0));
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    if (this.socket) {
      this.socket.close(CloseCode.NORMAL, 'bye');
    }
    this.#setState('offline');
  }

  // A fresh access token: used for the next connection, and handed to the open one (reauth) so that it outlives
  // the old token without reconnecting.
  renew(token) {
    this.token = token;
    if (this.state === 'connected' && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ type: FrameType.REAUTH, token }));
    }
  }

  // After a close for the token's sake: connect again at once with a fresh one (resuming after the last message).
  resume(token) {
    this.token = token;
    this.stopped = false;
    this.#reconnectSoon(0);
  }

  send(conversation, text) {
    const pending = this.store.addPending(conversation.key, conversation.title, conversation.target, text);
    this.#transmit(pending);
  }

  history(conversation, before) {
    return this.#request({ type: FrameType.HISTORY, ...ChatConnection.address(conversation), limit: 30,
      ...(before ? { before } : {}) });
  }

  conversations() {
    return this.#request({ type: FrameType.CONVERSATIONS });
  }

  groups() {
    return this.#request({ type: FrameType.GROUPS });
  }

  groupInfo(group) {
    return this.#request({ type: FrameType.GROUP_INFO, group });
  }

  createGroup(name, members) {
    return this.#request({ type: FrameType.GROUP_CREATE, name, members });
  }

  // group_add, group_remove or group_admin: answered with the group as it is after the change.
  changeGroup(type, group, users) {
    return this.#request({ type, group, users });
  }

  leaveGroup(group) {
    return this.#request({ type: FrameType.GROUP_LEAVE, group });
  }

  // The user has seen a conversation up to a message (no answer but the 'marker' frame).
  read(conversation, upTo) {
    this.#fire({ type: FrameType.READ, ...ChatConnection.address(conversation), upTo });
  }

  typing(conversation) {
    this.#fire({ type: FrameType.TYPING, ...ChatConnection.address(conversation) });
  }

  settings(changes) {
    this.#fire({ type: FrameType.SETTINGS, ...changes });
  }

  edit(id, text) {
    return this.#change({ type: FrameType.EDIT, id, text });
  }

  delete(id) {
    return this.#change({ type: FrameType.DELETE, id });
  }

  // An edit or delete: settled by the 'edited' or 'deleted' frame with its clientId, or an error.
  #change(frame) {
    const clientId = crypto.randomUUID();
    return new Promise((resolve, reject) => {
      if (!this.#fire({ ...frame, clientId })) {
        reject(new Error('Not connected: try again in a moment.'));
        return;
      }
      this.changes.set(clientId, { resolve, reject });
      setTimeout(() => {
        if (this.changes.delete(clientId)) {
          reject(new Error('No answer from the server.'));
        }
      }, 10000);
    });
  }

  // Sends a frame that is not worth keeping for the next connection; false when there is none open.
  #fire(frame) {
    if (this.state !== 'connected' || this.socket.readyState !== WebSocket.OPEN) {
      return false;
    }
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  #request(frame) {
    const requestId = crypto.randomUUID();
    return new Promise((resolve, reject) => {
      if (this.state !== 'connected') {
        reject(new Error('not connected'));
        return;
      }
      this.requests.set(requestId, { resolve, reject });
      this.socket.send(JSON.stringify({ ...frame, requestId }));
      setTimeout(() => {
        if (this.requests.delete(requestId)) {
          reject(new Error('no answer'));
        }
      }, 10000);
    });
  }

  #transmit(pending) {
    if (this.state !== 'connected') {
      return; // goes out after the next welcome
    }
    const frame = { type: FrameType.SEND, clientId: pending.clientId, text: pending.text,
      ...this.store.addressOf(this.store.conversation(pending.key, pending.title)) };
    this.socket.send(JSON.stringify(frame));
  }

  #open() {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    this.#setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    socket.addEventListener('open', () => {
      const auth = { type: FrameType.AUTH, token: this.token };
      this.resumedAfter = this.store.resumeAfter;
      if (this.resumedAfter) {
        auth.resumeAfter = this.resumedAfter;
      }
      socket.send(JSON.stringify(auth));
    });
    socket.addEventListener('message', (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      this.#handle(frame);
    });
    socket.addEventListener('close', (event) => {
      if (socket !== this.socket) {
        return;
      }
      for (const { reject } of [...this.requests.values(), ...this.changes.values()]) {
        reject(new Error('The connection closed: try again in a moment.'));
      }
      this.requests.clear();
      this.changes.clear();
      if (this.stopped) {
        return; // closed on purpose (sign out): whatever the server said last is no news
      }
      const reason = TOKEN_CLOSE.get(event.code);
      if (reason) {
        this.stopped = true;
        this.#setState('reconnecting');
        this.dispatchEvent(new CustomEvent('unauthorized', { detail: reason }));
        return;
      }
      this.#reconnectSoon();
    });
  }

  #reconnectSoon(delay) {
    if (this.stopped) {
      return;
    }
    clearTimeout(this.retryTimer);
    this.#setState('reconnecting');
    const ceiling = Math.min(15000, 500 * 2 ** this.attempt);
    this.attempt++;
    const wait = delay ?? Math.random() * ceiling;
    this.retryTimer = setTimeout(() => this.#open(), wait);
  }

  #handle(frame) {
    switch (frame.type) {
      case FrameType.WELCOME:
        this.attempt = 0;
        if (!this.store.lastId) {
          this.store.lastId = floorId(Date.now() - 60000);
        }
        this.store.setOnline(frame.online);
        this.store.setLimits(frame.limits);
        if (frame.settings) {
          this.store.setSettings(frame.settings);
        }
        this.#setState('connected');
        this.dispatchEvent(new CustomEvent('welcome', { detail: frame }));
        for (const pending of this.store.outbox) {
          this.#transmit(pending);
        }
        break;
      case FrameType.MESSAGE:
        this.store.addMessage(frame);
        this.#confirmIfToMe(frame);
        break;
      case FrameType.REPLAYED:
        if (frame.truncated) {
          this.#fillGap(frame.before, frame.after);
        }
        if (frame.changesTruncated) {
          this.dispatchEvent(new Event('changes-truncated'));
        }
        break;
      case FrameType.SENT:
        this.store.acknowledged(frame.clientId, frame.id, frame.ts);
        break;
      case FrameType.DELIVERED:
        this.store.delivered(frame.id);
        break;
      case FrameType.PRESENCE:
        this.store.presence(frame.online, frame.offline, frame.lastSeen);
        break;
      case FrameType.GROUP_INFO:
        this.store.groupInfo(frame);
        this.#answer(frame);
        break;
      case FrameType.GROUP_LEFT:
        this.store.leftGroup(frame.group);
        this.#answer(frame);
        break;
      case FrameType.HISTORY:
      case FrameType.CONVERSATIONS:
      case FrameType.GROUPS:
        this.#answer(frame);
        break;
      case FrameType.READ:
        if (frame.by) {
          this.store.readBy(ChatConnection.keyOf(frame), frame.by, frame.upTo);
        }
        break;
      case FrameType.MARKER:
        this.store.ownMarker(ChatConnection.keyOf(frame), frame.upTo, frame.unread);
        break;
      case FrameType.TYPING:
        if (frame.from && !this.store.isMe(frame.from)) {
          this.store.typing(ChatConnection.keyOf(frame), frame.from);
        }
        break;
      case FrameType.EDITED:
      case FrameType.DELETED:
        this.store.changed(frame, frame.type === FrameType.DELETED);
        if (frame.clientId && this.changes.has(frame.clientId)) {
          this.changes.get(frame.clientId).resolve(frame);
          this.changes.delete(frame.clientId);
        }
        break;
      case FrameType.SETTINGS:
        this.store.setSettings(frame);
        break;
      case FrameType.REAUTHENTICATED:
        break;
      case FrameType.RECONNECT:
        // the instance is draining: the close that follows reconnects, elsewhere, after a short random pause
        break;
      case FrameType.ERROR:
        this.#error(frame);
        break;
      default:
        break;
    }
  }

  #answer(frame) {
    const request = this.requests.get(frame.requestId);
    if (request && ANSWERS.has(frame.type)) {
      this.requests.delete(frame.requestId);
      request.resolve(frame);
    }
  }

  #confirmIfToMe(message) {
    if (message.to && message.to.toLowerCase() === this.store.meKey && message.from.toLowerCase() !== this.store.meKey) {
      this.#confirm(message.id);
    }
  }

  // More was missed than one replay carries: it brought the newest, and the older ones come a page at a time
  // (history with 'missed'), newest first, until there are no more. Until then the store resumes where this
  // connection resumed, so a connection lost meanwhile leaves nothing out.
  async #fillGap(before, after) {
    const ticket = this.store.openGap(this.resumedAfter ?? null);
    this.dispatchEvent(new CustomEvent('catching-up', { detail: true }));
    let cursor = before;
    try {
      while (cursor) {
        const page = await this.#request({ type: FrameType.HISTORY, missed: true, before: cursor, limit: GAP_PAGE,
          ...(after ? { after } : {}) });
        for (const message of page.messages) {
          this.store.addMessage(message, { live: false });
          this.#confirmIfToMe(message);
        }
        cursor = page.next;
      }
      this.store.closeGap(ticket);
    } catch (e) {
      // the connection closed: the next one resumes before the gap and is told again
    }
    this.dispatchEvent(new CustomEvent('catching-up', { detail: false }));
  }

  // Receipts of the messages handled in one task (a replay, a burst) go out together, up to 100 ids a frame.
  #confirm(id) {
    this.unconfirmed.push(id);
    if (this.unconfirmed.length > 1) {
      return;
    }
    const socket = this.socket;
    setTimeout(() => {
      const ids = this.unconfirmed.splice(0);
      for (let from = 0; from < ids.length && socket.readyState === WebSocket.OPEN; from += MAX_IDS_PER_RECEIPT) {
        socket.send(JSON.stringify({ type: FrameType.RECEIVED, ids: ids.slice(from, from + MAX_IDS_PER_RECEIPT) }));
      }
    }, 0);
  }

  #error(frame) {
    if (TOKEN_ERRORS.has(frame.code)) {
      return; // the close that follows says it again; the app handles it there
    }
    const failure = Object.assign(new Error(frame.message), { code: frame.code });
    if (frame.requestId && this.requests.has(frame.requestId)) {
      this.requests.get(frame.requestId).reject(failure);
      this.requests.delete(frame.requestId);
      return;
    }
    if (frame.clientId && this.changes.has(frame.clientId)) {
      this.changes.get(frame.clientId).reject(failure);
      this.changes.delete(frame.clientId);
      return;
    }
    if (QUIET.has(frame.code) && !frame.clientId) {
      return;
    }
    if (frame.clientId) {
      if (RETRYABLE.has(frame.code)) {
        // the message stays in the outbox and goes again with its clientId: after the server's hint when it
        // gave one (overloaded), plus up to half of it at random so that refused senders do not return together
        const pending = this.store.outbox.find((p) => p.clientId === frame.clientId);
        const hint = Number.isFinite(frame.retryAfterMs) && frame.retryAfterMs > 0 ? frame.retryAfterMs : 1000;
        if (pending) {
          setTimeout(() => this.#transmit(pending), hint + Math.random() * hint / 2);
        }
      } else {
        this.store.failed(frame.clientId, frame.message);
      }
      return;
    }
    this.dispatchEvent(new CustomEvent('problem', { detail: frame.message }));
  }

  #setState(state) {
    if (this.state !== state) {
      this.state = state;
      this.dispatchEvent(new CustomEvent('state', { detail: state }));
    }
  }
}
