// The group dialogs: creating a group (a name and members found among the users the app knows, or typed), and a
// group's members (who is in it, admin actions for admins: add, remove, make admin; and leaving it). Every change
// is the server's: the dialogs send the request and show its answer or its error in words.

import { groupKey } from './chat-store.js';
import { el } from './conversation-view.js';
import { lastSeenText } from './describe.js';
import { ErrorCode, FrameType, Groups } from './protocol.js';

const $ = (id) => document.getElementById(id);
const USERNAME = /^[A-Za-z0-9._-]{3,32}$/;

// What the server's refusals mean here.
const MESSAGES = {
  [ErrorCode.UNKNOWN_USER]: (e) => e.message || 'There is no such user.',
  [ErrorCode.UNKNOWN_TYPE]: () => 'This server does not offer groups yet.',
};

function sentence(e) {
  return (MESSAGES[e.code] || (() => e.message))(e);
}

function fail(id, message) {
  $(id).textContent = message;
  $(id).hidden = !message;
}

// The "New group" dialog.
export class GroupDialog {
  // app: {store() -> ChatStore, connection() -> ChatConnection, opened(key, title)}
  constructor(app) {
    this.app = app;
    this.dialog = $('group-dialog');
    this.selected = new Map();
    this.busy = false;
  }

  wire(opener) {
    opener.addEventListener('click', () => this.open());
    $('group-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    $('group-cancel').addEventListener('click', () => this.dialog.close());
    $('group-member-search').addEventListener('input', () => this.#renderCandidates());
    $('group-member-search').addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault(); // Enter here adds the name typed, it does not create the group
        this.#addTyped();
      }
    });
  }

  open() {
    this.selected.clear();
    $('group-name').value = '';
    $('group-member-search').value = '';
    fail('group-error', '');
    this.#render();
    this.dialog.showModal();
    $('group-name').focus();
  }

  async submit() {
    if (this.busy) {
      return;
    }
    const name = $('group-name').value.trim();
    if (!name || name.length > Groups.MAX_NAME_LENGTH) {
      fail('group-error', 'A group name is 1 to ' + Groups.MAX_NAME_LENGTH + ' characters.');
      $('group-name').focus();
      return;
    }
    if ($('group-member-search').value.trim()) {
      this.#addTyped();
    }
    this.busy = true;
    $('group-create').disabled = true;
    try {
      const info = await this.app.connection().createGroup(name, [...this.selected.values()]);
      this.dialog.close();
      this.app.opened(groupKey(info.group), info.name);
    } catch (e) {
      fail('group-error', sentence(e));
    } finally {
      this.busy = false;
      $('group-create').disabled = false;
    }
  }

  #addTyped() {
    const typed = $('group-member-search').value.trim();
    if (!typed) {
      return;
    }
    if (!USERNAME.test(typed)) {
      fail('group-error', 'Usernames are 3 to 32 letters, digits, ".", "_" or "-".');
      return;
    }
    if (!this.app.store().isMe(typed)) {
      this.selected.set(typed.toLowerCase(), typed);
    }
    $('group-member-search').value = '';
    fail('group-error', '');
    this.#render();
  }

  #render() {
    this.#renderCandidates();
    $('group-selected').replaceChildren(...[...this.selected.values()].map((name) => {
      const chip = el('li', '', name);
      chip.dataset.user = name;
      const remove = el('button', '', '×');
      remove.type = 'button';
      remove.setAttribute('aria-label', 'Remove ' + name);
      remove.addEventListener('click', () => {
        this.selected.delete(name.toLowerCase());
        this.#render();
      });
      chip.append(remove);
      return chip;
    }));
  }

  #renderCandidates() {
    const search = $('group-member-search').value.trim().toLowerCase();
    const candidates = this.app.store().knownUsers().filter((name) => name.toLowerCase().includes(search));
    $('group-candidates').replaceChildren(...candidates.map((name) => {
      const item = el('li');
      const label = el('label');
      const box = el('input');
      box.type = 'checkbox';
      box.value = name;
      box.dataset.testid = 'group-candidate';
      box.checked = this.selected.has(name.toLowerCase());
      box.addEventListener('change', () => {
        if (box.checked) {
          this.selected.set(name.toLowerCase(), name);
        } else {
          this.selected.delete(name.toLowerCase());
        }
        this.#render();
      });
      label.append(box, el('span', 'name', name));
      item.append(label);
      return item;
    }));
  }
}

// The members of the open group, and what its admins may do.
export class MembersDialog {
  // app: {store() -> ChatStore, connection() -> ChatConnection, conversation() -> the open conversation}
  constructor(app) {
    this.app = app;
    this.dialog = $('members-dialog');
  }

  wire(opener) {
    opener.addEventListener('click', () => this.open());
    $('members-close').addEventListener('click', () => this.dialog.close());
    $('members-add-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const name = $('members-add-name').value.trim();
      if (name) {
        this.#change(FrameType.GROUP_ADD, name).then((ok) => {
          if (ok) {
            $('members-add-name').value = '';
          }
        });
      }
    });
    $('group-leave').addEventListener('click', () => this.#leave());
  }

  async open() {
    fail('members-error', '');
    this.render();
    this.dialog.showModal();
    $('members-close').focus();
    const conversation = this.app.conversation();
    try {
      await this.app.connection().groupInfo(conversation.target);
    } catch (e) {
      fail('members-error', sentence(e));
    }
    this.render();
  }

  // Shows the members as the store holds them (called again whenever the store changes while open).
  render() {
    const store = this.app.store();
    const conversation = this.app.conversation();
    if (!this.dialog.open || conversation.kind !== 'group') {
      return;
    }
    $('members-title').textContent = conversation.title;
    const admin = store.isAdmin(conversation) && !conversation.left;
    $('members-add-form').hidden = !admin;
    $('group-leave').hidden = conversation.left;
    $('known-users').replaceChildren(...store.knownUsers().map((name) => {
      const option = el('option');
      option.value = name;
      return option;
    }));
    const members = conversation.members || [];
    $('members-list').replaceChildren(...members.map((member) => {
      const item = el('li');
      item.dataset.user = member.user;
      item.append(el('span', 'name', store.isMe(member.user) ? member.user + ' (you)' : member.user));
      if (member.role === Groups.ADMIN) {
        item.append(el('span', 'role', 'admin'));
      }
      if (admin && !store.isMe(member.user)) {
        if (member.role !== Groups.ADMIN) {
          item.append(this.#action('Make admin', 'make-admin', FrameType.GROUP_ADMIN, member.user));
        }
        item.append(this.#action('Remove', 'remove-member', FrameType.GROUP_REMOVE, member.user));
      }
      const seen = store.lastSeen.get(member.user.toLowerCase());
      const status = store.isOnline(member.user) ? 'online' : (seen ? lastSeenText(seen) : '');
      if (status && !store.isMe(member.user)) {
        item.append(el('span', 'status', status));
      }
      return item;
    }));
  }

  #action(label, testid, type, user) {
    const button = el('button', 'secondary', label);
    button.type = 'button';
    button.dataset.testid = testid;
    button.setAttribute('aria-label', label + ' ' + user);
    button.addEventListener('click', () => this.#change(type, user));
    return button;
  }

  async #change(type, user) {
    fail('members-error', '');
    try {
      await this.app.connection().changeGroup(type, this.app.conversation().target, [user]);
      this.render();
      return true;
    } catch (e) {
      fail('members-error', sentence(e));
      return false;
    }
  }

  async #leave() {
    fail('members-error', '');
    try {
      await this.app.connection().leaveGroup(this.app.conversation().target);
      this.dialog.close();
    } catch (e) {
      fail('members-error', sentence(e));
    }
  }
}
