// The words of the chat protocol (docs/protocol.md): frame types, field names, error codes, close codes, rooms and
// the values of group frames, reconnect reasons. A copy of the Java classes in protocol/src/main/java/io/microchat/protocol
// (FrameType, Field, ErrorCode, CloseCode, Rooms, Groups, ReconnectReason), which the chat service and the Java client
// share: same names, same values. A word is added or changed there and here together; ProtocolMirrorTest
// (frontend/src/test) fails while the two differ.
//
// The app reads a frame's fields as properties (frame.type, frame.clientId); Field is for where a field's name is
// a value (history's 'room' or 'with').

// The type of every frame.
export const FrameType = Object.freeze({
  // client to server
  AUTH: 'auth', // First frame: the access token, and where to resume.
  REAUTH: 'reauth', // A new access token for the open connection.
  SEND: 'send', // A message to a user or a room.
  RECEIVED: 'received', // The client holds these messages (delivery receipts).
  PING: 'ping', // Keep-alive.
  HISTORY: 'history', // A request for one page of a conversation (also the answer).
  CONVERSATIONS: 'conversations', // A request for the list of conversations (also the answer).

  // server to client
  WELCOME: 'welcome', // The answer to 'auth'.
  REAUTHENTICATED: 'reauthenticated', // The answer to 'reauth'.
  REPLAYED: 'replayed', // The end of the replay after 'auth'.
  SENT: 'sent', // A message is stored: its id.
  MESSAGE: 'message', // A message for this client.
  DELIVERED: 'delivered', // A recipient's device holds a message the client sent.
  PRESENCE: 'presence', // Users came online or went offline.
  PONG: 'pong', // The answer to 'ping'.
  RECONNECT: 'reconnect', // The instance drains: connect again (to another one).
  ERROR: 'error', // Something went wrong; see ErrorCode.

  // issue 18
  // client to server
  GROUP_CREATE: 'group_create', // Creates a group.
  GROUP_ADD: 'group_add', // An admin adds members to a group.
  GROUP_REMOVE: 'group_remove', // An admin removes members from a group.
  GROUP_ADMIN: 'group_admin', // An admin makes members admins.
  GROUP_LEAVE: 'group_leave', // A member leaves a group.
  GROUPS: 'groups', // A request for the user's groups (also the answer).
  READ: 'read', // The user has read a conversation up to a message (the answer to others is a read receipt).
  SETTINGS: 'settings', // The user's settings (also the answer, to every device of the user).
  TYPING: 'typing', // The user is typing in a conversation (also relayed to the other participants).
  EDIT: 'edit', // The sender edits a message.
  DELETE: 'delete', // The sender deletes a message.
  // server to client (and group_info both ways)
  GROUP_INFO: 'group_info', // A request for a group (also the answer to it and to the group changes).
  GROUP_LEFT: 'group_left', // The answer to 'group_leave'.
  MARKER: 'marker', // The user's read marker moved (to every device of the user).
  EDITED: 'edited', // A message was edited.
  DELETED: 'deleted', // A message was deleted.
});

// The field names of the frames.
export const Field = Object.freeze({
  TYPE: 'type', // Every frame: what it is (FrameType).
  TOKEN: 'token', // 'auth', 'reauth': the access token.
  RESUME_AFTER: 'resumeAfter', // 'auth': the id of the newest message the client holds.
  CLIENT_ID: 'clientId', // 'send', 'sent', errors: the client's own id of a message, for retries.
  REQUEST_ID: 'requestId', // Requests and their answers: the client's id of the request.
  TO: 'to', // 'send', 'message': the recipient user.
  ROOM: 'room', // 'send', 'message', 'history': the room.
  TEXT: 'text', // 'send', 'message': the text.
  ID: 'id', // 'message', 'sent', 'delivered': a message id.
  IDS: 'ids', // 'received': message ids.
  FROM: 'from', // 'message': the sender's username.
  TS: 'ts', // Timestamps, epoch milliseconds.
  DELIVERED_AT: 'deliveredAt', // 'message': when a recipient's device first held it.
  BY: 'by', // 'delivered': who received it.
  WITH: 'with', // 'history', 'conversations': the other user of a private conversation.
  BEFORE: 'before', // 'history': page before this id.
  AFTER: 'after', // 'replayed': where the replay started.
  LIMIT: 'limit', // 'history': page size.
  MISSED: 'missed', // 'history': page back through a replay's gap.
  MESSAGES: 'messages', // 'history': the messages of a page.
  NEXT: 'next', // 'history': the id to page from next, or null.
  CONVERSATIONS: 'conversations', // 'conversations': the list.
  LAST: 'last', // 'conversations': a conversation's newest message.
  USER: 'user', // 'welcome': the user.
  INSTANCE: 'instance', // 'welcome': the instance's id.
  ONLINE: 'online', // 'welcome', 'presence': users online.
  OFFLINE: 'offline', // 'presence': users gone offline.
  LIMITS: 'limits', // 'welcome': the limits that apply.
  MAX_TEXT_LENGTH: 'maxTextLength', // 'welcome.limits': the longest text.
  MESSAGES_PER_SECOND: 'messagesPerSecond', // 'welcome.limits': the send rate.
  BURST: 'burst', // 'welcome.limits': the send burst.
  EDIT_WINDOW_MS: 'editWindowMs', // 'welcome.limits': how long after a message its sender may edit it, in milliseconds.
  USER_ID: 'id', // 'welcome.user': the user id.
  USERNAME: 'username', // 'welcome.user': the username.
  COUNT: 'count', // 'replayed': how many messages were replayed.
  TRUNCATED: 'truncated', // 'replayed': whether older missed messages are left.
  EXPIRES_AT: 'expiresAt', // 'reauthenticated': the new token's expiry.
  REASON: 'reason', // 'reconnect': why.
  CODE: 'code', // 'error': the ErrorCode.
  MESSAGE: 'message', // 'error': a sentence for people.
  RETRY_AFTER_MS: 'retryAfterMs', // 'error overloaded': when to send again.

  // issue 18
  GROUP: 'group', // 'send', 'message', 'history', group frames, ...: a group's id ('g-' and 24 hex).
  NAME: 'name', // 'group_create', 'group_info', 'groups', 'conversations': a group's name.
  MEMBERS: 'members', // 'group_create': the usernames to add besides the creator; 'group_info': the members.
  USERS: 'users', // Group frames, membership events: the users concerned.
  MEMBER_USER: 'user', // 'group_info.members': a member's username.
  ROLE: 'role', // 'group_info.members', 'groups': 'admin' or 'member'.
  JOINED_AT: 'joinedAt', // 'group_info.members': when the member joined.
  CREATED_BY: 'createdBy', // 'group_info': who created the group.
  CREATED_AT: 'createdAt', // 'group_info': when the group was created.
  GROUPS: 'groups', // 'groups': the list.
  SIZE: 'size', // 'groups': a group's number of members.
  EVENT: 'event', // 'message': a membership change ('Groups', 'EVENT_*').
  ADMINS: 'admins', // Membership event 'left': who became admin by it.
  UP_TO: 'upTo', // 'read', 'marker': the newest message read.
  UNREAD: 'unread', // 'marker', 'conversations': unread messages, counted up to 1,000.
  READ_UP_TO: 'readUpTo', // 'conversations', 'group_info.members': the user's (the member's) read marker.
  MARKERS: 'markers', // 'history', 'conversations': the other participants' read markers, by username.
  LAST_SEEN: 'lastSeen', // 'presence', 'conversations', 'group_info.members': when a user was last online.
  SETTINGS: 'settings', // 'welcome': the user's settings.
  READ_RECEIPTS: 'readReceipts', // 'settings': whether the user sends and sees read receipts.
  SHOW_LAST_SEEN: 'showLastSeen', // 'settings': whether others see the user's last seen.
  EDITED: 'edited', // 'message': when it was last edited.
  EDITED_AT: 'editedAt', // 'edited': when it was edited.
  DELETED: 'deleted', // 'message': it was deleted (the text is empty).
  REV: 'rev', // 'edited', 'deleted': the change's id (time-ordered, like message ids).
  CHANGES: 'changes', // 'replayed': how many changes to older messages were replayed.
  CHANGES_TRUNCATED: 'changesTruncated', // 'replayed': whether older changes were left out.
});

// The code of error frames.
export const ErrorCode = Object.freeze({
  MALFORMED_JSON: 'malformed_json', // The frame is not a JSON object.
  MISSING_FIELD: 'missing_field', // A required field is absent.
  INVALID_FIELD: 'invalid_field', // A field has the wrong type or an out-of-range value.
  UNKNOWN_TYPE: 'unknown_type', // No such frame type.
  NOT_AUTHENTICATED: 'not_authenticated', // A frame other than 'auth' before authenticating.
  ALREADY_AUTHENTICATED: 'already_authenticated', // A second 'auth'.
  INVALID_TOKEN: 'invalid_token', // The token is not valid (close CloseCode.UNAUTHORIZED).
  UNAVAILABLE: 'unavailable', // The token cannot be checked now (close CloseCode.TRY_AGAIN_LATER).
  AUTH_TIMEOUT: 'auth_timeout', // No 'auth' in time (close CloseCode.AUTH_TIMEOUT).
  TOKEN_EXPIRED: 'token_expired', // The token expired during the session (close CloseCode.TOKEN_EXPIRED).
  SESSION_REVOKED: 'session_revoked', // The token's session ended (close CloseCode.SESSION_REVOKED).
  TEXT_TOO_LONG: 'text_too_long', // Text over the limit.
  FRAME_TOO_LARGE: 'frame_too_large', // A message over the message size limit.
  UNSUPPORTED_FRAME: 'unsupported_frame', // A binary frame.
  UNKNOWN_USER: 'unknown_user', // 'to' names nobody.
  UNKNOWN_ROOM: 'unknown_room', // No such room.
  RATE_LIMITED: 'rate_limited', // Over the send or frame rate.
  STORE_UNAVAILABLE: 'store_unavailable', // MongoDB is unreachable; nothing was stored.
  OVERLOADED: 'overloaded', // The instance is past a bound of its queues; nothing was stored.
  REPLAY_FAILED: 'replay_failed', // Missed messages could not be loaded.
  DRAINING: 'draining', // The instance is shutting down.
  INTERNAL_ERROR: 'internal_error', // A bug on the server side.

  // issue 18
  UNKNOWN_GROUP: 'unknown_group', // 'group' names no group.
  NOT_A_MEMBER: 'not_a_member', // The user (or a user named) is not a member of the group.
  NOT_ADMIN: 'not_admin', // Only the group's admins may do that.
  GROUP_TOO_LARGE: 'group_too_large', // The group would have more members than allowed.
  INVALID_GROUP_NAME: 'invalid_group_name', // The group name is empty, too long or has control characters.
  UNKNOWN_MESSAGE: 'unknown_message', // No such message in that conversation, or one the user never received.
  NOT_YOUR_MESSAGE: 'not_your_message', // Editing or deleting somebody else's message.
  EDIT_WINDOW_PASSED: 'edit_window_passed', // Editing after the edit window.
  MESSAGE_DELETED: 'message_deleted', // Editing a deleted message.
});

// The WebSocket close codes.
export const CloseCode = Object.freeze({
  NORMAL: 1000, // Normal closure.
  GOING_AWAY: 1001, // The instance is draining: reconnect elsewhere.
  ABNORMAL: 1006, // Never sent: what a client sees when the connection ended without a close frame.
  TOO_BIG: 1009, // One WebSocket frame over the frame limit.
  INTERNAL_ERROR: 1011, // Internal error.
  TRY_AGAIN_LATER: 1013, // The token cannot be checked now: reconnect after a few seconds with the same token.
  UNAUTHORIZED: 4401, // Authentication failed.
  SESSION_REVOKED: 4403, // The session ended: log in again.
  AUTH_TIMEOUT: 4408, // No 'auth' in time.
  TOKEN_EXPIRED: 4410, // The token expired: refresh it and reconnect.
  TOO_SLOW: 4429, // The client did not read fast enough: reconnect with 'resumeAfter'.
});

// The rooms.
export const Rooms = Object.freeze({
  ALL: 'all', // The room everyone is in.
});

// The values of the group frames: roles, membership events, the shape of group ids and the default limits.
export const Groups = Object.freeze({
  ID_PATTERN: 'g-[0-9a-f]{24}', // A group's id: 'g-' and 24 hex digits.
  ADMIN: 'admin', // A member who may add, remove and name admins.
  MEMBER: 'member', // A member.
  EVENT_CREATED: 'created', // Membership event: the group was created ('name', 'users').
  EVENT_ADDED: 'added', // Membership event: members were added ('users').
  EVENT_REMOVED: 'removed', // Membership event: members were removed ('users').
  EVENT_ADMIN: 'admin', // Membership event: members were made admins ('users').
  EVENT_LEFT: 'left', // Membership event: the sender left ('admins': who became admin by it).
  DEFAULT_MAX_MEMBERS: 256, // The default most members of a group ('app.groups.max-members').
  MAX_NAME_LENGTH: 100, // The longest group name, in characters after trimming.
  UNREAD_CAP: 1000, // 'unread' counts stop here: this value means this many or more.
});

// Why the server asks a client to connect again: the reason of a 'reconnect' frame.
export const ReconnectReason = Object.freeze({
  DRAINING: 'draining', // The instance is shutting down: connect again, to another one.
});
