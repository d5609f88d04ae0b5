// The open conversation as the user sees it: its header (name, online or last seen, a group's members), its
// messages with their ticks (sent, delivered, read in blue; "Read by N of M" in groups), "edited" marks, "message
// deleted" placeholders and membership changes, the menu of one's own messages (edit, delete) and the typing
// line. Built from the store on every change; everything from the server is shown with textContent.

import { eventText, lastSeenText, names, readByText, typingText } from './describe.js';

const $ = (id) => document.getElementById(id);

const TICKS = { pending: ['🕓', 'waiting to send'], sent: ['✓', 'sent'], delivered: ['✓✓', 'delivered'],
  read: ['✓✓', 'read'], failed: ['!', 'not sent'] };

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function button(className, text, testid, onClick) {
  const node = el('button', className, text);
  node.type = 'button';
  if (testid) {
    node.dataset.testid = testid;
  }
  node.addEventListener('click', (e) => {
    e.stopPropagation();
    onClick();
  });
  return node;
}

// A conversation's name as shown: a group's name once known.
export function titleOf(conversation) {
  return conversation.kind === 'group' && conversation.title === conversation.key ? 'Group' : conversation.title;
}

// What the menus and popovers hold between renders: {menu: {id, confirm, focus}, readers: id}, and what the
// buttons do: edit(message), remove(message), changed() to render again.
export class ConversationView {
  constructor(store, actions) {
    this.store = store;
    this.actions = actions;
    this.menu = null;
    this.readers = null;
  }

  closeMenus() {
    const open = this.menu || this.readers;
    this.menu = null;
    this.readers = null;
    return !!open;
  }

  render(conversation) {
    const store = this.store;
    $('conversation-title').textContent = titleOf(conversation);
    $('conversation-subtitle').textContent = this.#subtitle(conversation);
    $('group-members-open').hidden = conversation.kind !== 'group';
    $('group-left-notice').hidden = !(conversation.kind === 'group' && conversation.left);
    $('composer-text').disabled = conversation.kind === 'group' && conversation.left;
    const typists = [...conversation.typing.values()].map((t) => t.name).sort();
    $('typing-line').textContent = typingText(typists);

    const list = $('messages');
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    const items = [...conversation.messages.values()].sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((message) => this.#item(conversation, message));
    for (const pending of conversation.pending.values()) {
      items.push(this.#item(conversation, { from: store.me, text: pending.text, ts: pending.ts,
        status: pending.status, reason: pending.reason }));
    }
    if (conversation.hasMore && conversation.loaded) {
      items.unshift(el('li', 'hint', 'Scroll up for older messages'));
    }
    list.replaceChildren(...items);
    if (atBottom) {
      list.scrollTop = list.scrollHeight;
    }
    if (this.menu && this.menu.focus) {
      this.menu.focus = false;
      const first = list.querySelector('.menu button');
      if (first) {
        first.focus();
      }
    }
  }

  // Under the name: "online" or when the peer was last seen; a group's members.
  #subtitle(conversation) {
    const store = this.store;
    if (conversation.kind === 'dm') {
      if (store.isOnline(conversation.target)) {
        return 'online';
      }
      const seen = store.lastSeen.get(conversation.target.toLowerCase());
      return seen ? lastSeenText(seen) : '';
    }
    if (conversation.kind === 'group' && conversation.members) {
      const others = conversation.members.filter((m) => !store.isMe(m.user)).map((m) => m.user);
      return names(conversation.left ? others : ['You', ...others]);
    }
    return '';
  }

  #item(conversation, message) {
    const store = this.store;
    if (message.event) {
      const item = el('li', 'message event', eventText(message, (user) => (store.isMe(user) ? 'You' : user)));
      item.dataset.id = message.id;
      item.dataset.testid = 'event';
      return item;
    }
    const mine = store.isMe(message.from);
    const item = el('li', 'message' + (mine ? ' mine' : '') + (message.deleted ? ' deleted' : ''));
    if (message.id) {
      item.dataset.id = message.id;
    }
    item.dataset.status = mine ? message.status : 'received';
    if (message.deleted) {
      item.dataset.deleted = 'true';
    }
    if (mine && message.id && !message.deleted) {
      item.append(...this.#menu(message));
    }
    if (!mine && conversation.kind !== 'dm') {
      item.append(el('span', 'from', message.from));
    }
    const deletedText = mine ? 'You deleted this message' : 'This message was deleted';
    item.append(el('span', 'text', message.deleted ? deletedText : message.text));
    const meta = el('span', 'meta');
    if (message.edited && !message.deleted) {
      const edited = el('span', 'edited', 'edited');
      edited.dataset.testid = 'edited';
      meta.append(edited);
    }
    meta.append(new Date(message.ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
    if (mine && !message.deleted) {
      this.#ticks(conversation, message, item, meta);
    }
    item.append(meta);
    if (mine && this.readers === message.id && item.readers) {
      const list = el('ul', 'readers');
      list.dataset.testid = 'readers';
      list.append(...(item.readers.length ? item.readers : ['nobody yet']).map((name) => el('li', '', name)));
      item.append(list);
    }
    return item;
  }

  // One tick sent, two delivered, blue when read; in a group "Read by N of M" (the names on hover and on click).
  #ticks(conversation, message, item, meta) {
    const store = this.store;
    let status = message.status;
    if (message.id && store.settings.readReceipts && conversation.kind === 'dm') {
      const marker = conversation.markers.get(conversation.target.toLowerCase());
      if (marker && marker >= message.id) {
        status = 'read';
        item.dataset.read = 'true';
      }
    }
    const [symbol, label] = TICKS[status] || TICKS.sent;
    const tick = el('span', 'tick tick-' + status, ' ' + symbol);
    tick.setAttribute('aria-label', label);
    tick.title = message.reason || label;
    tick.dataset.testid = 'tick';
    if (message.id && store.settings.readReceipts && conversation.kind === 'group' && conversation.members) {
      const others = conversation.members.filter((m) => !store.isMe(m.user)).map((m) => m.user);
      const readers = others.filter((user) => (conversation.markers.get(user.toLowerCase()) || '') >= message.id);
      item.readers = readers;
      item.dataset.readBy = String(readers.length);
      if (others.length > 0 && readers.length === others.length) {
        tick.className = 'tick tick-read';
        tick.setAttribute('aria-label', 'read by everyone');
        item.dataset.read = 'true';
      }
      const readBy = button('read-by', readByText(readers, others.length), 'read-by', () => {
        this.readers = this.readers === message.id ? null : message.id;
        this.actions.changed();
      });
      readBy.title = readers.length ? 'Read by ' + names(readers) : 'Nobody has read it yet';
      readBy.setAttribute('aria-expanded', String(this.readers === message.id));
      meta.append(' ', readBy);
    }
    meta.append(tick);
  }

  // The "⋯" button of one's own message and, while open, its menu: edit (within the window), delete (asked twice).
  #menu(message) {
    const open = this.menu && this.menu.id === message.id;
    const opener = button('message-actions', '⋯', 'message-actions', () => {
      this.menu = open ? null : { id: message.id, confirm: false, focus: true };
      this.actions.changed();
    });
    opener.setAttribute('aria-label', 'Message options');
    opener.setAttribute('aria-haspopup', 'menu');
    opener.setAttribute('aria-expanded', String(open));
    if (!open) {
      return [opener];
    }
    const menu = el('div', 'menu');
    menu.setAttribute('role', 'menu');
    const close = () => {
      this.menu = null;
      this.actions.changed();
    };
    if (this.menu.confirm) {
      menu.append(button('danger', 'Delete for everyone', 'message-delete-confirm', () => {
        close();
        this.actions.remove(message);
      }), button('secondary', 'Cancel', 'message-delete-cancel', close));
    } else {
      if (this.store.canEdit(message)) {
        menu.append(button('secondary', 'Edit', 'message-edit', () => {
          close();
          this.actions.edit(message);
        }));
      }
      menu.append(button('secondary', 'Delete', 'message-delete', () => {
        this.menu = { id: message.id, confirm: true, focus: true };
        this.actions.changed();
      }));
    }
    menu.querySelectorAll('button').forEach((b) => b.setAttribute('role', 'menuitem'));
    return [opener, menu];
  }
}
