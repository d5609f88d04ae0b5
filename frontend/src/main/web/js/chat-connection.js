// One logical connection to the chat service that survives real ones: authenticates with the first frame,
// resumes after the newest message held, reconnects with exponential backoff and full jitter, and sends what
// waits in the outbox (with its original clientId, so the server stores each message once).

const RETRYABLE = new Set(['rate_limited', 'store_unavailable', 'draining', 'internal_error', 'overloaded']);
const FATAL_CLOSE = new Map([[4401, 'unauthorized'], [4410, 'expired']]);
const MAX_IDS_PER_RECEIPT = 100;

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
      this.socket.close(1000, 'bye');
    }
    this.#setState('offline');
  }

  send(target, text) {
    const isRoom = target === null;
    const key = isRoom ? 'room:all' : 'dm:' + target.toLowerCase();
    const pending = this.store.addPending(key, isRoom ? 'Everyone' : target, target, text);
    this.#transmit(pending);
  }

  history(field, value, before) {
    return this.#request({ type: 'history', [field]: value, limit: 30, ...(before ? { before } : {}) });
  }

  conversations() {
    return this.#request({ type: 'conversations' });
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
    const frame = { type: 'send', clientId: pending.clientId, text: pending.text };
    if (pending.target === null) {
      frame.room = 'all';
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
      const auth = { type: 'auth', token: this.token };
      if (this.store.lastId) {
        auth.resumeAfter = this.store.lastId;
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
      const fatal = FATAL_CLOSE.get(event.code);
      if (fatal) {
        this.stopped = true;
        this.#setState('offline');
        this.dispatchEvent(new CustomEvent('unauthorized', { detail: fatal }));
        return;
      }
      if (!this.stopped) {
        this.#reconnectSoon();
      }
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
      case 'welcome':
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
      case 'message':
        this.store.addMessage(frame);
        if (frame.to && frame.to.toLowerCase() === this.store.meKey && frame.from.toLowerCase() !== this.store.meKey) {
          this.#confirm(frame.id);
        }
        break;
      case 'sent':
        this.store.acknowledged(frame.clientId, frame.id, frame.ts);
        break;
      case 'delivered':
        this.store.delivered(frame.id);
        break;
      case 'presence':
        this.store.presence(frame.online, frame.offline);
        break;
      case 'history':
      case 'conversations': {
        const request = this.requests.get(frame.requestId);
        if (request) {
          this.requests.delete(frame.requestId);
          request.resolve(frame);
        }
        break;
      }
      case 'reconnect':
        // the instance is draining: the close that follows reconnects, elsewhere, after a short random pause
        break;
      case 'error':
        this.#error(frame);
        break;
      default:
        break;
    }
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
        socket.send(JSON.stringify({ type: 'received', ids: ids.slice(from, from + MAX_IDS_PER_RECEIPT) }));
      }
    }, 0);
  }

  #error(frame) {
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
