// One logical connection to the chat service that survives real ones: authenticates with the first frame,
// resumes after the newest message held, reconnects with exponential backoff and full jitter, and sends what
// waits in the outbox (with its original clientId, so the server stores each message once). When a replay says it
// was truncated, it pages back through the older missed messages ('catching-up' events say when). A close with
// 1013 (the server cannot check the token for now) is retried like any other; after 4401, 4403 or 4410 the app
// refreshes the token (or signs the user out) and calls resume().

import { ROOM, dmKey } from './chat-store.js';
import { CloseCode, ErrorCode, FrameType, Rooms } from './protocol.js';

const RETRYABLE = new Set([ErrorCode.RATE_LIMITED, ErrorCode.STORE_UNAVAILABLE, ErrorCode.DRAINING,
  ErrorCode.INTERNAL_ERROR, ErrorCode.OVERLOADED]);
// Closes after which this token is no good: the app refreshes it (or signs the user out) and calls resume().
const TOKEN_CLOSE = new Map([[CloseCode.UNAUTHORIZED, 'unauthorized'], [CloseCode.SESSION_REVOKED, 'revoked'],
  [CloseCode.TOKEN_EXPIRED, 'expired']]);
const TOKEN_ERRORS = new Set([ErrorCode.INVALID_TOKEN, ErrorCode.SESSION_REVOKED, ErrorCode.TOKEN_EXPIRED]);
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

  send(target, text) {
    const isRoom = target === null;
    const key = isRoom ? ROOM : dmKey(target);
    const pending = this.store.addPending(key, isRoom ? 'Everyone' : target, target, text);
    this.#transmit(pending);
  }

  history(field, value, before) {
    return this.#request({ type: FrameType.HISTORY, [field]: value, limit: 30, ...(before ? { before } : {}) });
  }

  conversations() {
    return this.#request({ type: FrameType.CONVERSATIONS });
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
    const frame = { type: FrameType.SEND, clientId: pending.clientId, text: pending.text };
    if (pending.target === null) {
      frame.room = Rooms.ALL;
    } else {
      frame.to = pending.target;
    }
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
      for (const { reject } of this.requests.values()) {
        reject(new Error('connection closed'));
      }
      this.requests.clear();
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
        break;
      case FrameType.SENT:
        this.store.acknowledged(frame.clientId, frame.id, frame.ts);
        break;
      case FrameType.DELIVERED:
        this.store.delivered(frame.id);
        break;
      case FrameType.PRESENCE:
        this.store.presence(frame.online, frame.offline);
        break;
      case FrameType.HISTORY:
      case FrameType.CONVERSATIONS: {
        const request = this.requests.get(frame.requestId);
        if (request) {
          this.requests.delete(frame.requestId);
          request.resolve(frame);
        }
        break;
      }
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
    if (frame.requestId && this.requests.has(frame.requestId)) {
      this.requests.get(frame.requestId).reject(new Error(frame.message));
      this.requests.delete(frame.requestId);
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
