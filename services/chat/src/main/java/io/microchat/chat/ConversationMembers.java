package io.microchat.chat;

import java.util.List;

import io.microchat.protocol.ErrorCode;

/**
 * Who is in a conversation a client frame names, as read markers, read receipts and typing need it: the
 * conversation key, and the other participants to tell. Private conversations and the room are answered here;
 * a group's members come from the groups (issue 18, "Groups"), which plug in through {@link #groups}.
 */
final class ConversationMembers {

    /**
     * A conversation as one user sees it.
     *
     * @param key    the conversation key of its messages ({@code dm:a|b}, {@code group:g-...}, {@code room:all})
     * @param others the user keys of the other participants to tell of a read or typing (empty for the room, and
     *               for a user's conversation with themselves)
     * @param peer   the other user's registered name in a private conversation, else null
     * @param group  the group id of a group conversation, else null
     */
    record Resolved(String key, List<String> others, String peer, String group) {

        boolean isRoom() {
            return peer == null && group == null;
        }
    }

    /** The members of a group, as the groups know them. */
    interface GroupMembers {
        /**
         * A group's members other than the user, checking that the user is one.
         *
         * @param userKey the user
         * @param group   the group id (well-formed)
         * @return the user keys of the other members
         * @throws ProtocolException {@code unknown_group} or {@code not_a_member}
         */
        List<String> othersOf(String userKey, String group);
    }

    /** Until groups are served: every group id names no group. */
    static final GroupMembers NO_GROUPS = (userKey, group) -> {
        throw new ProtocolException(ErrorCode.UNKNOWN_GROUP, "There is no group '" + group + "'.");
    };

    private final UserDirectory users;
    private final GroupMembers groups;

    /**
     * The members of conversations.
     *
     * @param users  who is registered
     * @param groups the members of groups
     */
    ConversationMembers(UserDirectory users, GroupMembers groups) {
        this.users = users;
        this.groups = groups;
    }

    /**
     * A conversation a user names in a frame.
     *
     * @param userKey the user
     * @param ref     the conversation
     * @return the conversation with its other participants
     * @throws ProtocolException {@code unknown_user} (nobody has that name), or the group's errors
     */
    Resolved resolve(String userKey, ConversationRef ref) {
        return switch (ref) {
        case ConversationRef.Direct direct -> {
            String peer = users.registeredName(direct.with()).orElseThrow(
                    () -> new ProtocolException(ErrorCode.UNKNOWN_USER, "There is no user '" + direct.with() + "'."));
            String peerKey = Users.key(peer);
            yield new Resolved(ref.key(userKey), peerKey.equals(userKey) ? List.of() : List.of(peerKey), peer, null);
        }
        case ConversationRef.InGroup inGroup -> new Resolved(ref.key(userKey),
                                                             groups.othersOf(userKey, inGroup.group()), null,
                                                             inGroup.group());
        case ConversationRef.InRoom room -> new Resolved(ref.key(userKey), List.of(), null, null);
        };
    }
}
