package io.microchat.chat;

import java.util.List;

import io.microchat.protocol.ErrorCode;

/**
 * {@code edit} and {@code delete} (docs/protocol.md, "Editing and deleting"): the change is made in storage by
 * {@link MessageChanges} (one conditional update, so that only the sender, within the edit window, changes a
 * message that is not deleted), then answered to the connection that made it (the frame with its
 * {@code clientId}) and sent by {@link Delivery} to every other connection of every participant, here and on the
 * other instances.
 *
 * <p>Who may change a message in a group depends on the group's members, which {@link Membership} answers: the
 * message's sender must still be a member; the change goes live only to the message's participants who are
 * members now.
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
        List<String> members = requireMayChange(connection, edit.id());
        MessageChanges.Change change = changes.edit(connection.userKey(), edit.id(), edit.text(),
                                                    System.currentTimeMillis());
        announce(connection, change, members, edit.clientId());
    }

    /**
     * Deletes a message; a deleted one is answered as it is (a retry after a lost answer), and announced again.
     *
     * @param connection the sender's connection
     * @param delete     the command
     */
    void delete(Connection connection, Command.Delete delete) {
        List<String> members = requireMayChange(connection, delete.id());
        MessageChanges.Change change = changes.delete(connection.userKey(), delete.id(), System.currentTimeMillis());
        announce(connection, change, members, delete.clientId());
    }

    /**
     * The message is the user's and, in a group, the user is still a member.
     *
     * @return the group's current members, or null for a message not of a group
     */
    private List<String> requireMayChange(Connection connection, String id) {
        MessageChanges.Change target = changes.target(connection.userKey(), id);
        if (target.group() == null) {
            return null;
        }
        List<String> members = membership.memberKeys(target.group());
        if (!members.contains(connection.userKey())) {
            throw new ProtocolException(ErrorCode.NOT_A_MEMBER, "Only members change messages of a group.");
        }
        return members;
    }

    /**
     * The answer to the maker, then the change to the participants; of a group message, only to those who are
     * members now (a removed member does not learn of changes made after the removal).
     */
    private void announce(Connection origin, MessageChanges.Change change, List<String> members, String clientId) {
        origin.send(ServerFrames.change(change, origin.userKey(), clientId));
        MessageChanges.Change toSend = change;
        if (members != null) {
            List<String> current = change.participants().stream().filter(members::contains).toList();
            toSend = new MessageChanges.Change(change.id(), change.conversation(), change.from(), change.to(),
                                               change.room(), change.group(), current, change.ts(), change.text(),
                                               change.editedAt(), change.deleted(), change.rev());
        }
        delivery.change(toSend, origin);
    }

    /** Who is a member of a group now (the groups' store answers; groups are issue 18's other part). */
    @FunctionalInterface
    interface Membership {

        /**
         * A group's members now.
         *
         * @param groupId the group
         * @return their user keys (empty when there is no such group)
         */
        List<String> memberKeys(String groupId);
    }
}
