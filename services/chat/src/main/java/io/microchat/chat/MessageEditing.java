package io.microchat.chat;

import io.microchat.protocol.ErrorCode;

/**
 * {@code edit} and {@code delete} (docs/protocol.md, "Editing and deleting"): the change is made in storage by
 * {@link MessageChanges} (one conditional update, so that only the sender, within the edit window, changes a
 * message that is not deleted), then answered to the connection that made it (the frame with its
 * {@code clientId}) and sent by {@link Delivery} to every other connection of every participant, here and on the
 * other instances.
 *
 * <p>Who may change a message in a group depends on the group's members, which {@link Membership} answers: the
 * message's sender must still be a member.
 */
final class MessageEditing {

    private final MessageChanges changes;
    private final Membership membership;
    private final Delivery delivery;

    /**
     * Editing.
     *
     * @param changes    edits and deletes in storage
     * @param membership whether a user is a member of a group
     * @param delivery   how a change reaches the participants
     */
    MessageEditing(MessageChanges changes, Membership membership, Delivery delivery) {
        this.changes = changes;
        this.membership = membership;
        this.delivery = delivery;
    }

    /**
     * Edits a message.
     *
     * @param connection the sender's connection
     * @param edit       the command
     */
    void edit(Connection connection, Command.Edit edit) {
        requireMayChange(connection, edit.id());
        MessageChanges.Change change = changes.edit(connection.userKey(), edit.id(), edit.text(),
                                                    System.currentTimeMillis());
        announce(connection, change, edit.clientId());
    }

    /**
     * Deletes a message; a deleted one is answered as it is (a retry after a lost answer), and announced again.
     *
     * @param connection the sender's connection
     * @param delete     the command
     */
    void delete(Connection connection, Command.Delete delete) {
        requireMayChange(connection, delete.id());
        MessageChanges.Change change = changes.delete(connection.userKey(), delete.id(), System.currentTimeMillis());
        announce(connection, change, delete.clientId());
    }

    /** The message is the user's and, in a group, the user is still a member. */
    private void requireMayChange(Connection connection, String id) {
        MessageChanges.Change target = changes.target(connection.userKey(), id);
        if (target.group() != null && !membership.isMember(target.group(), connection.userKey())) {
            throw new ProtocolException(ErrorCode.NOT_A_MEMBER, "Only members change messages of a group.");
        }
    }

    private void announce(Connection origin, MessageChanges.Change change, String clientId) {
        origin.send(ServerFrames.change(change, origin.userKey(), clientId));
        delivery.change(change, origin);
    }

    /** Whether a user is a member of a group (the groups' store answers; groups are issue 18's other part). */
    @FunctionalInterface
    interface Membership {

        /**
         * Whether a user is a member of a group now.
         *
         * @param groupId the group
         * @param userKey the user
         * @return true when a member
         */
        boolean isMember(String groupId, String userKey);
    }
}
