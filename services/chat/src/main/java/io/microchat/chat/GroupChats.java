package io.microchat.chat;

import java.util.ArrayList;
import java.util.List;

import io.microchat.protocol.ErrorCode;
import io.microchat.protocol.FrameType;

/**
 * What the group frames do (docs/protocol.md, "Groups"): create, add, remove, name admins, leave, a group's info and
 * the user's groups. The rules of membership, roles and size are {@link GroupStore}'s (each change one conditional
 * update, so concurrent changes on several instances keep them); every change is answered to its maker and then
 * stored as a message of the group, its event, delivered like any group message ({@link Messaging#postGroupEvent}).
 * Sending to a group and its history are {@link Messaging}'s.
 */
final class GroupChats {

    /** Most groups a {@code groups} answer lists. */
    static final int MAX_LISTED = 1_000;

    private final GroupStore groups;
    private final UserDirectory users;
    private final Messaging messaging;
    private final ConversationReading reading;

    /**
     * Group commands.
     *
     * @param groups    the groups
     * @param users     who is registered (names are stored as registered)
     * @param messaging stores and delivers the membership events
     * @param reading   the members' read markers and last seen, as {@code group_info} shows them
     */
    GroupChats(GroupStore groups, UserDirectory users, Messaging messaging, ConversationReading reading) {
        this.groups = groups;
        this.users = users;
        this.messaging = messaging;
        this.reading = reading;
    }

    /**
     * Handles a group frame of an authenticated connection.
     *
     * @param connection who asks
     * @param request    the command
     * @throws ProtocolException the documented error; nothing changed
     */
    void handle(Connection connection, Command.GroupRequest request) {
        if (!(request instanceof Command.GroupInfo) && !(request instanceof Command.GroupList)) {
            // a change stores its event like a message: it is charged and bounded like a send, before it is made
            messaging.requireSendAllowance(connection, "nothing changed. Send it again");
        }
        switch (request) {
        case Command.GroupCreate create -> {
            GroupStore.Change change = groups.create(connection.username(), create.name(),
                                                     registered(create.members()), System.currentTimeMillis());
            answered(connection, create.requestId(), change);
        }
        case Command.GroupChange change -> answered(connection, change.requestId(), change(connection, change));
        case Command.GroupLeave leave -> {
            GroupStore.Change change = groups.leave(leave.group(), connection.username());
            connection.send(ServerFrames.groupLeft(leave.requestId(), leave.group()));
            messaging.postGroupEvent(change);
        }
        case Command.GroupInfo info -> connection.send(
                info(connection, info.requestId(), groups.requireMember(info.group(), connection.userKey())));
        case Command.GroupList list -> connection.send(ServerFrames.groups(
                list.requestId(), connection.userKey(), groups.groupsOf(connection.userKey(), MAX_LISTED)));
        }
    }

    private GroupStore.Change change(Connection connection, Command.GroupChange change) {
        String actor = connection.username();
        return switch (change.type()) {
        case FrameType.GROUP_ADD -> groups.add(change.group(), actor, registered(change.users()),
                                               System.currentTimeMillis());
        case FrameType.GROUP_REMOVE -> groups.remove(change.group(), actor, change.users());
        case FrameType.GROUP_ADMIN -> groups.promote(change.group(), actor, change.users());
        default -> throw new IllegalArgumentException("not a group change: " + change.type());
        };
    }

    /** The group after the change to its maker, then its event (if anything changed) to the participants. */
    private void answered(Connection connection, String requestId, GroupStore.Change change) {
        connection.send(info(connection, requestId, change.group()));
        messaging.postGroupEvent(change);
    }

    /**
     * A group as one of its members sees it: the other members' read markers as read receipts allow
     * ({@link ConversationReading#groupMarkers}) and the offline members' last seen unless they hide it.
     */
    private String info(Connection connection, String requestId, GroupStore.Group group) {
        return ServerFrames.groupInfo(requestId, group, reading.groupMarkers(connection.userKey(), group),
                                      reading.lastSeen(group.memberKeys()));
    }

    /** The names as registered; a name nobody has is {@code unknown_user}, before anything changed. */
    private List<String> registered(List<String> names) {
        List<String> registered = new ArrayList<>(names.size());
        for (String name : names) {
            registered.add(users.registeredName(name).orElseThrow(
                    () -> new ProtocolException(ErrorCode.UNKNOWN_USER, "There is no user '" + name + "'.")));
        }
        return registered;
    }
}
