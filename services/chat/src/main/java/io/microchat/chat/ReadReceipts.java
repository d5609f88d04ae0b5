package io.microchat.chat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.microchat.protocol.ErrorCode;

/**
 * Read markers and read receipts (docs/protocol.md, "Read markers and read receipts", "Unread counts"): a
 * {@code read} moves the user's marker forward ({@link ReadMarkerStore}); every device of the reader gets the
 * {@code marker} with the unread count after it, and the other participants of a private or group conversation get
 * a read receipt unless the reader or they turned receipts off. Who the participants are is
 * {@link ConversationMembers}'s.
 *
 * <p>Receipts are filtered when they are sent, from the settings of the reader and of each recipient as stored
 * (one query per {@code read}): a user with receipts off neither gives nor gets them, in frames as in the
 * {@code markers} of {@code history} and {@code conversations}.
 */
final class ReadReceipts implements ConversationReading {

    private final ReadMarkerStore markers;
    private final UserPreferences preferences;
    private final ConversationMembers members;
    private final UserDirectory users;
    private final Delivery delivery;
    private final OnlineUsers presence;

    /**
     * Read receipts.
     *
     * @param markers     the read markers
     * @param preferences the users' settings and last seen
     * @param members     who is in a conversation
     * @param users       who is registered
     * @param delivery    how frames reach users' devices
     * @param presence    who is online (last seen is shown for the others)
     */
    ReadReceipts(ReadMarkerStore markers, UserPreferences preferences, ConversationMembers members,
                 UserDirectory users, Delivery delivery, OnlineUsers presence) {
        this.markers = markers;
        this.preferences = preferences;
        this.members = members;
        this.users = users;
        this.delivery = delivery;
        this.presence = presence;
    }

    /**
     * The user has read a conversation up to a message: the marker moves forward (or nothing happens when it was
     * there already), the reader's devices hear of it, and the other participants get a read receipt.
     *
     * @param connection the reader's connection
     * @param read       the command
     * @throws ProtocolException {@code unknown_user}, {@code unknown_message}, or a group's errors
     */
    void read(Connection connection, Command.Read read) {
        String reader = connection.userKey();
        ConversationMembers.Resolved conversation = resolveReader(reader, read);
        markers.requireReceived(reader, conversation.key(), read.upTo());
        long now = System.currentTimeMillis();
        // counted before the marker moves: when counting fails, nothing moved (the count after upTo does not
        // depend on the stored marker)
        int unread = markers.unread(reader, conversation.key(), read.upTo());
        if (!markers.advance(reader, conversation.key(), read.upTo(), now)) {
            return; // at or past it already: devices report in any order
        }
        delivery.toUser(reader, ServerFrames.marker(conversation, read.upTo(), unread));
        if (conversation.others().isEmpty()) {
            return; // the room has no receipts, nor does one's conversation with oneself
        }
        List<String> concerned = new ArrayList<>(conversation.others());
        concerned.add(reader);
        Map<String, UserPreferences.Settings> settings = preferences.settings(concerned);
        if (!settings.get(reader).readReceipts()) {
            return;
        }
        String receipt = ServerFrames.readReceipt(connection.username(), conversation, read.upTo(), now);
        for (String other : conversation.others()) {
            if (settings.get(other).readReceipts()) {
                delivery.toUser(other, receipt);
            }
        }
    }

    /**
     * The conversation a {@code read} names. A former member of a group (one who received messages of it) may
     * still mark it read, so that their unread badge clears: nobody else is told.
     */
    private ConversationMembers.Resolved resolveReader(String reader, Command.Read read) {
        try {
            return members.resolve(reader, read.conversation());
        } catch (ProtocolException e) {
            if (!(read.conversation() instanceof ConversationRef.InGroup inGroup)
                    || !ErrorCode.NOT_A_MEMBER.equals(e.code())) {
                throw e;
            }
            String key = read.conversation().key(reader);
            if (!markers.receivedAny(reader, key)) {
                throw e; // never a member
            }
            return new ConversationMembers.Resolved(key, List.of(), null, inGroup.group());
        }
    }

    @Override
    public Map<String, ServerFrames.ConversationState> states(String userKey, List<ChatMessage> newest) {
        Map<String, String> peerByConversation = new HashMap<>();
        Map<String, String> peerNames = new HashMap<>();
        List<String> conversations = new ArrayList<>();
        for (ChatMessage message : newest) {
            String conversation = message.conversation();
            conversations.add(conversation);
            if (message.isPrivate()) {
                String peer = userKey.equals(message.fromKey()) ? message.to() : message.from();
                if (!Users.key(peer).equals(userKey)) {
                    peerByConversation.put(conversation, Users.key(peer));
                    peerNames.put(conversation, peer);
                }
            }
        }
        Map<String, String> mine = markers.markers(userKey, conversations);
        Set<String> concerned = new HashSet<>(peerByConversation.values());
        concerned.add(userKey);
        Map<String, UserPreferences.Settings> settings = preferences.settings(concerned);
        boolean seesReceipts = settings.get(userKey).readReceipts();
        Map<String, String> theirs = new HashMap<>();
        if (seesReceipts) {
            Map<String, String> giving = new HashMap<>(peerByConversation);
            giving.values().removeIf(peer -> !settings.get(peer).readReceipts());
            theirs = markers.markersOf(giving);
        }
        Set<String> online = new HashSet<>();
        presence.online().forEach(name -> online.add(Users.key(name)));
        List<String> offlinePeers = peerByConversation.values().stream().filter(p -> !online.contains(p)).toList();
        Map<String, Long> lastSeen = offlinePeers.isEmpty() ? Map.of() : preferences.visibleLastSeen(offlinePeers);

        Map<String, ServerFrames.ConversationState> states = new HashMap<>();
        for (String conversation : conversations) {
            String readUpTo = mine.get(conversation);
            String peer = peerByConversation.get(conversation);
            String peerMarker = theirs.get(conversation);
            states.put(conversation, new ServerFrames.ConversationState(
                    markers.unread(userKey, conversation, readUpTo), readUpTo,
                    peerMarker == null ? Map.of() : Map.of(peerNames.get(conversation), peerMarker),
                    peer == null ? null : lastSeen.get(peer)));
        }
        return states;
    }

    @Override
    public Map<String, String> peerMarkers(String userKey, String peer) {
        String name = users.registeredName(peer).orElse(null);
        if (name == null || Users.key(name).equals(userKey)) {
            return Map.of();
        }
        String peerKey = Users.key(name);
        return visibleMarkers(userKey, ChatMessage.privateConversation(userKey, peerKey), Map.of(peerKey, name));
    }

    @Override
    public Map<String, String> groupMarkers(String userKey, GroupStore.Group group) {
        Map<String, String> others = new HashMap<>();
        for (GroupStore.Member member : group.members()) {
            if (!member.key().equals(userKey)) {
                others.put(member.key(), member.user());
            }
        }
        return visibleMarkers(userKey, group.conversation(), others);
    }

    @Override
    public Map<String, Long> lastSeen(Collection<String> userKeys) {
        Set<String> online = new HashSet<>();
        presence.online().forEach(name -> online.add(Users.key(name)));
        List<String> offline = userKeys.stream().filter(key -> !online.contains(key)).toList();
        return offline.isEmpty() ? Map.of() : preferences.visibleLastSeen(offline);
    }

    /**
     * The markers of other participants of a conversation that a user may see: none when the user turned read
     * receipts off, and none of those who did (for a group's {@code history} and {@code group_info} too).
     *
     * @param userKey      the user who asks
     * @param conversation the conversation key
     * @param others       user key to username of the participants whose markers are wanted
     * @return username to marker, for those who have one and show it
     */
    Map<String, String> visibleMarkers(String userKey, String conversation, Map<String, String> others) {
        List<String> concerned = new ArrayList<>(others.keySet());
        concerned.add(userKey);
        Map<String, UserPreferences.Settings> settings = preferences.settings(concerned);
        if (!settings.get(userKey).readReceipts()) {
            return Map.of();
        }
        Map<String, String> result = new HashMap<>();
        Map<String, String> all = others.size() == 1
                ? markersOne(others.keySet().iterator().next(), conversation) : markers.markersOf(conversation);
        all.forEach((key, upTo) -> {
            if (others.containsKey(key) && settings.get(key).readReceipts()) {
                result.put(others.get(key), upTo);
            }
        });
        return result;
    }

    private Map<String, String> markersOne(String userKey, String conversation) {
        String marker = markers.marker(userKey, conversation);
        return marker == null ? Map.of() : Map.of(userKey, marker);
    }
}
