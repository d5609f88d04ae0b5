// Sentences the app shows: when someone was last seen, who is typing, what a membership change did, how far a
// group read a message. Plain text, shown with textContent.

import { Groups } from './protocol.js';

const DAY_MS = 24 * 60 * 60 * 1000;

function time(millis) {
  return new Date(millis).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function startOfDay(millis) {
  const day = new Date(millis);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
}

// "last seen today at 14:02", "yesterday at 09:15", "on 3 Nov at 18:40".
export function lastSeenText(millis, now = Date.now()) {
  const today = startOfDay(now);
  if (millis >= today) {
    return 'last seen today at ' + time(millis);
  }
  if (millis >= today - DAY_MS) {
    return 'last seen yesterday at ' + time(millis);
  }
  const day = new Date(millis).toLocaleDateString([], { day: 'numeric', month: 'short',
    ...(now - millis > 300 * DAY_MS ? { year: 'numeric' } : {}) });
  return 'last seen on ' + day + ' at ' + time(millis);
}

// "alice, bob and carol": names joined as a sentence says them.
export function names(list) {
  if (list.length <= 1) {
    return list.join('');
  }
  return list.slice(0, -1).join(', ') + ' and ' + list.at(-1);
}

// "alice is typing…", "alice and bob are typing…", "3 people are typing…".
export function typingText(typists) {
  if (typists.length === 0) {
    return '';
  }
  if (typists.length > 3) {
    return typists.length + ' people are typing…';
  }
  return names(typists) + (typists.length === 1 ? ' is' : ' are') + ' typing…';
}

// A membership change as a line of the conversation: "alice added dave and erin". 'who' names a user as the
// reader knows them ("you" for themselves).
export function eventText(message, who) {
  const by = who(message.from);
  const users = names((message.users || []).map(who));
  switch (message.event) {
    case Groups.EVENT_CREATED:
      return by + ' created the group “' + (message.name || '') + '”' + (users ? ' with ' + users : '');
    case Groups.EVENT_ADDED:
      return by + ' added ' + users;
    case Groups.EVENT_REMOVED:
      return by + ' removed ' + users;
    case Groups.EVENT_ADMIN:
      return by + ' made ' + users + ' admin' + ((message.users || []).length > 1 ? 's' : '');
    case Groups.EVENT_LEFT: {
      const admins = names((message.admins || []).map(who));
      return by + ' left' + (admins ? '; ' + admins + ' became admin' : '');
    }
    default:
      return by + ' changed the group';
  }
}

// "Read by 2 of 3" of a group message, with the readers' names for a tooltip or list.
export function readByText(readers, of) {
  return 'Read by ' + readers.length + (of ? ' of ' + of : '');
}
