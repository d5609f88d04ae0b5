package io.microchat.chat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.microchat.protocol.ErrorCode;
import io.microchat.protocol.Groups;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Groups in MongoDB, collection {@code groups} (docs/protocol.md, "Groups"): one document a group,
 * {@code {_id: "g-<24 hex>", name, createdBy, createdAt, members: [{user, key, role, joinedAt}], memberKeys, size,
 * v}}, where {@code memberKeys} (the members' lower-case keys, indexed) finds a user's groups and {@code size} and
 * {@code v} make changes conditional.
 *
 * <p>Every change is one conditional update of the document, so concurrent changes on any instances cannot break
 * the rules: an add matches only while the group has room for every user added, none of them is a member yet and
 * the actor is an admin (two adds to a group of 255 members: one succeeds, the other finds the group full); a
 * remove matches only while every user removed is a member and the actor an admin; making admins and leaving
 * (which may make the oldest member admin) rewrite the member list only if the group's version {@code v} is still
 * the one they read. A change that lost a race is read again and decided again.
 *
 * <p>The caller has resolved usernames to their registered spelling ({@link Users#registeredName}) and validated
 * the group name ({@link CommandDecoder#groupName}); this class checks membership, roles and size. Each change
 * returns the group after it and the membership event to store as a message of the group, or no event when
 * nothing changed.
 */
final class GroupStore {

    private static final int MAX_ATTEMPTS = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MongoCollection<Document> groups;
    private final int maxMembers;
    private volatile boolean indexesReady;

    /**
     * A store.
     *
     * @param db         the database
     * @param maxMembers most members of a group ({@code app.groups.max-members})
     */
    GroupStore(MongoDatabase db, int maxMembers) {
        this.groups = db.getCollection("groups")
                .withWriteConcern(MessageStore.WRITE_CONCERN)
                .withReadConcern(MessageStore.READ_CONCERN);
        this.maxMembers = maxMembers;
    }

    /** Creates the index that finds a user's groups; idempotent. */
    synchronized void ensureIndexes() {
        if (indexesReady) {
            return;
        }
        groups.createIndex(Indexes.ascending("memberKeys", "name"), new IndexOptions().name("groups_of_user"));
        indexesReady = true;
    }

    /**
     * The conversation key of a group's messages (the {@code conv} of its messages and read markers).
     *
     * @param groupId the group
     * @return {@code group:<id>}
     */
    static String conversation(String groupId) {
        return "group:" + groupId;
    }

    static boolean isValidId(String id) {
        return id != null && id.matches(Groups.ID_PATTERN);
    }

    static String newId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return "g-" + HexFormat.of().formatHex(bytes);
    }

    int maxMembers() {
        return maxMembers;
    }

    /**
     * Creates a group with its creator as its first admin.
     *
     * @param creator the creator's username
     * @param name    the name, validated and trimmed
     * @param members registered usernames to add besides the creator (duplicates and the creator are skipped)
     * @param now     the time
     * @return the group and its {@code created} event
     * @throws ProtocolException {@code group_too_large}
     */
    Change create(String creator, String name, List<String> members, long now) {
        ensureIndexes();
        Map<String, Member> byKey = new LinkedHashMap<>();
        byKey.put(Users.key(creator), new Member(creator, Users.key(creator), Groups.ADMIN, now));
        for (String user : members) {
            byKey.putIfAbsent(Users.key(user), new Member(user, Users.key(user), Groups.MEMBER, now));
        }
        if (byKey.size() > maxMembers) {
            throw tooLarge();
        }
        List<Member> list = new ArrayList<>(byKey.values());
        Group group = new Group(newId(), name, creator, now, list, 1);
        groups.insertOne(new Document("_id", group.id()).append("name", name).append("createdBy", creator)
                                 .append("createdAt", now).append("members", documents(list))
                                 .append("memberKeys", group.memberKeys()).append("size", list.size())
                                 .append("v", 1L));
        List<String> added = list.subList(1, list.size()).stream().map(Member::user).toList();
        return new Change(group, new Event(Groups.EVENT_CREATED, creator, added, List.of(), name),
                          group.memberKeys());
    }

    /**
     * Adds members; an admin's change.
     *
     * @param groupId the group
     * @param actor   the admin's username
     * @param users   registered usernames; members already are skipped
     * @param now     the time
     * @return the group after, and the {@code added} event (none when everyone was a member already)
     * @throws ProtocolException {@code unknown_group}, {@code not_a_member}, {@code not_admin},
     *                           {@code group_too_large}
     */
    Change add(String groupId, String actor, List<String> users, long now) {
        String actorKey = Users.key(actor);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Group group = requireAdmin(groupId, actorKey);
            Map<String, Member> fresh = new LinkedHashMap<>();
            for (String user : users) {
                String key = Users.key(user);
                if (!group.isMember(key)) {
                    fresh.putIfAbsent(key, new Member(user, key, Groups.MEMBER, now));
                }
            }
            if (fresh.isEmpty()) {
                return new Change(group, null, group.memberKeys());
            }
            int n = fresh.size();
            if (group.members().size() + n > maxMembers) {
                throw tooLarge();
            }
            List<String> keys = new ArrayList<>(fresh.keySet());
            // the count condition is what keeps concurrent adds within the maximum
            Document after = groups.findOneAndUpdate(
                    Filters.and(Filters.eq("_id", groupId), Filters.lte("size", maxMembers - n),
                                Filters.nin("memberKeys", keys), isAdmin(actorKey)),
                    Updates.combine(Updates.pushEach("members", documents(fresh.values())),
                                    Updates.pushEach("memberKeys", keys),
                                    Updates.inc("size", n), Updates.inc("v", 1L)),
                    new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
            if (after != null) {
                Group changed = group(after);
                List<String> names = fresh.values().stream().map(Member::user).toList();
                return new Change(changed, new Event(Groups.EVENT_ADDED, actor, names, List.of(), null),
                                  changed.memberKeys());
            }
        }
        throw new IllegalStateException("group " + groupId + " changed " + MAX_ATTEMPTS + " times during an add");
    }

    /**
     * Removes members; an admin's change (not of oneself: that is {@link #leave}).
     *
     * @param groupId the group
     * @param actor   the admin's username
     * @param users   the members to remove
     * @return the group after, and the {@code removed} event, whose participants include the removed members
     * @throws ProtocolException {@code unknown_group}, {@code not_a_member} (of the actor or of a user named),
     *                           {@code not_admin}, {@code invalid_field} (oneself)
     */
    Change remove(String groupId, String actor, List<String> users) {
        String actorKey = Users.key(actor);
        List<String> keys = users.stream().map(Users::key).distinct().toList();
        if (keys.contains(actorKey)) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, "To leave a group, send 'group_leave'.");
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Group group = requireAdmin(groupId, actorKey);
            List<Member> removed = new ArrayList<>();
            for (String key : keys) {
                removed.add(group.member(key).orElseThrow(() -> notAMember(key)));
            }
            Document after = groups.findOneAndUpdate(
                    Filters.and(Filters.eq("_id", groupId), Filters.all("memberKeys", keys), isAdmin(actorKey)),
                    Updates.combine(Updates.pullByFilter(new Document("members",
                                                                      new Document("key", new Document("$in", keys)))),
                                    Updates.pullAll("memberKeys", keys),
                                    Updates.inc("size", -keys.size()), Updates.inc("v", 1L)),
                    new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
            if (after != null) {
                Group changed = group(after);
                List<String> participants = new ArrayList<>(changed.memberKeys());
                participants.addAll(keys);
                return new Change(changed, new Event(Groups.EVENT_REMOVED, actor,
                                                     removed.stream().map(Member::user).toList(), List.of(), null),
                                  participants);
            }
        }
        throw new IllegalStateException("group " + groupId + " changed " + MAX_ATTEMPTS + " times during a remove");
    }

    /**
     * Makes members admins; an admin's change.
     *
     * @param groupId the group
     * @param actor   the admin's username
     * @param users   members; admins already are skipped
     * @return the group after, and the {@code admin} event (none when all were admins)
     * @throws ProtocolException {@code unknown_group}, {@code not_a_member}, {@code not_admin}
     */
    Change promote(String groupId, String actor, List<String> users) {
        String actorKey = Users.key(actor);
        List<String> keys = users.stream().map(Users::key).distinct().toList();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Group group = requireAdmin(groupId, actorKey);
            List<String> promoted = new ArrayList<>();
            List<Member> members = new ArrayList<>();
            for (String key : keys) {
                group.member(key).orElseThrow(() -> notAMember(key));
            }
            for (Member member : group.members()) {
                if (keys.contains(member.key()) && !member.isAdmin()) {
                    promoted.add(member.user());
                    members.add(member.withRole(Groups.ADMIN));
                } else {
                    members.add(member);
                }
            }
            if (promoted.isEmpty()) {
                return new Change(group, null, group.memberKeys());
            }
            Group changed = rewrite(group, members);
            if (changed != null) {
                return new Change(changed, new Event(Groups.EVENT_ADMIN, actor, promoted, List.of(), null),
                                  changed.memberKeys());
            }
        }
        throw new IllegalStateException("group " + groupId + " changed " + MAX_ATTEMPTS + " times during a promote");
    }

    /**
     * A member leaves. When the last admin leaves, the member who joined first (the earliest in the list among
     * those who joined at the same time) becomes admin; the last member leaving leaves the group empty.
     *
     * @param groupId the group
     * @param user    the member's username
     * @return the group after, and the {@code left} event (with the new admin, if any), whose participants
     *         include the leaver
     * @throws ProtocolException {@code unknown_group}, {@code not_a_member}
     */
    Change leave(String groupId, String user) {
        String key = Users.key(user);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Group group = requireMember(groupId, key);
            String leaver = group.member(key).orElseThrow().user();
            List<Member> members = new ArrayList<>(group.members().stream().filter(m -> !m.key().equals(key))
                                                           .toList());
            List<String> admins = List.of();
            if (!members.isEmpty() && members.stream().noneMatch(Member::isAdmin)) {
                Member oldest = members.stream().min(Comparator.comparingLong(Member::joinedAt)).orElseThrow();
                members.set(members.indexOf(oldest), oldest.withRole(Groups.ADMIN));
                admins = List.of(oldest.user());
            }
            Group changed = rewrite(group, members);
            if (changed != null) {
                List<String> participants = new ArrayList<>(changed.memberKeys());
                participants.add(key);
                return new Change(changed, new Event(Groups.EVENT_LEFT, leaver, List.of(), admins, null),
                                  participants);
            }
        }
        throw new IllegalStateException("group " + groupId + " changed " + MAX_ATTEMPTS + " times during a leave");
    }

    /**
     * A group.
     *
     * @param groupId the id
     * @return the group, or empty when there is none (or the id is not a group id)
     */
    Optional<Group> find(String groupId) {
        if (!isValidId(groupId)) {
            return Optional.empty();
        }
        return Optional.ofNullable(groups.find(Filters.eq("_id", groupId)).first()).map(GroupStore::group);
    }

    /**
     * Whether a user is a member of a group now.
     *
     * @param groupId the group
     * @param userKey the user's key
     * @return true when the group exists and has the user
     */
    boolean isMember(String groupId, String userKey) {
        return find(groupId).map(group -> group.isMember(userKey)).orElse(false);
    }

    /**
     * The other members of a group the user is a member of: who a read marker or typing goes to.
     *
     * @param userKey the user
     * @param groupId the group
     * @return the other members' keys
     * @throws ProtocolException {@code unknown_group}, {@code not_a_member}
     */
    List<String> othersOf(String userKey, String groupId) {
        return requireMember(groupId, userKey).members().stream().map(Member::key)
                .filter(key -> !key.equals(userKey)).toList();
    }

    /**
     * A group the user is a member of: for sending, typing, reading and group info.
     *
     * @param groupId the group
     * @param userKey the user
     * @return the group
     * @throws ProtocolException {@code unknown_group}, {@code not_a_member}
     */
    Group requireMember(String groupId, String userKey) {
        Group group = find(groupId).orElseThrow(() -> new ProtocolException(
                ErrorCode.UNKNOWN_GROUP, "There is no group '" + groupId + "'."));
        if (!group.isMember(userKey)) {
            throw new ProtocolException(ErrorCode.NOT_A_MEMBER, "You are not a member of this group.");
        }
        return group;
    }

    /**
     * The groups a user is a member of, by name.
     *
     * @param userKey the user
     * @param limit   most groups
     * @return the groups
     */
    List<Group> groupsOf(String userKey, int limit) {
        return groups.find(Filters.eq("memberKeys", userKey)).sort(Sorts.ascending("name", "_id")).limit(limit)
                .map(GroupStore::group).into(new ArrayList<>());
    }

    /**
     * The names of groups.
     *
     * @param groupIds the groups
     * @return id to name, for those that exist
     */
    Map<String, String> names(java.util.Collection<String> groupIds) {
        Map<String, String> names = new java.util.HashMap<>();
        groups.find(Filters.in("_id", groupIds)).projection(new Document("name", 1))
                .forEach(d -> names.put(d.getString("_id"), d.getString("name")));
        return names;
    }

    private Group requireAdmin(String groupId, String actorKey) {
        Group group = requireMember(groupId, actorKey);
        if (!group.isAdmin(actorKey)) {
            throw new ProtocolException(ErrorCode.NOT_ADMIN, "Only the group's admins can do that.");
        }
        return group;
    }

    /** Replaces the member list if nobody changed the group since it was read; null when somebody did. */
    private Group rewrite(Group group, List<Member> members) {
        List<String> keys = members.stream().map(Member::key).toList();
        Document after = groups.findOneAndUpdate(
                Filters.and(Filters.eq("_id", group.id()), Filters.eq("v", group.version())),
                Updates.combine(Updates.set("members", documents(members)), Updates.set("memberKeys", keys),
                                Updates.set("size", members.size()), Updates.inc("v", 1L)),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        return after == null ? null : group(after);
    }

    private static Bson isAdmin(String key) {
        return Filters.elemMatch("members", Filters.and(Filters.eq("key", key), Filters.eq("role", Groups.ADMIN)));
    }

    private ProtocolException tooLarge() {
        return new ProtocolException(ErrorCode.GROUP_TOO_LARGE,
                                     "A group has at most " + maxMembers + " members; nobody was added.");
    }

    private static ProtocolException notAMember(String key) {
        return new ProtocolException(ErrorCode.NOT_A_MEMBER, "'" + key + "' is not a member of this group.");
    }

    private static List<Document> documents(java.util.Collection<Member> members) {
        return members.stream().map(m -> new Document("user", m.user()).append("key", m.key())
                .append("role", m.role()).append("joinedAt", m.joinedAt())).toList();
    }

    private static Group group(Document d) {
        List<Member> members = d.getList("members", Document.class).stream()
                .map(m -> new Member(m.getString("user"), m.getString("key"), m.getString("role"),
                                     ((Number) m.get("joinedAt")).longValue())).toList();
        return new Group(d.getString("_id"), d.getString("name"), d.getString("createdBy"),
                         ((Number) d.get("createdAt")).longValue(), members, ((Number) d.get("v")).longValue());
    }

    /**
     * A member.
     *
     * @param user     the username as registered
     * @param key      its lower-case key
     * @param role     {@link Groups#ADMIN} or {@link Groups#MEMBER}
     * @param joinedAt when they joined
     */
    record Member(String user, String key, String role, long joinedAt) {

        boolean isAdmin() {
            return Groups.ADMIN.equals(role);
        }

        Member withRole(String newRole) {
            return new Member(user, key, newRole, joinedAt);
        }
    }

    /**
     * A group.
     *
     * @param id        {@code g-<24 hex>}
     * @param name      the name
     * @param createdBy the creator's username
     * @param createdAt when it was created
     * @param members   the members, in the order they joined
     * @param version   incremented by every change
     */
    record Group(String id, String name, String createdBy, long createdAt, List<Member> members, long version) {

        Optional<Member> member(String key) {
            return members.stream().filter(m -> m.key().equals(key)).findFirst();
        }

        boolean isMember(String key) {
            return member(key).isPresent();
        }

        boolean isAdmin(String key) {
            return member(key).map(Member::isAdmin).orElse(false);
        }

        /** The members' keys: the {@code participants} of a message sent to the group now. */
        List<String> memberKeys() {
            return members.stream().map(Member::key).toList();
        }

        String conversation() {
            return GroupStore.conversation(id);
        }

        /** The members as {@code group_info} lists them: admins first, then by when they joined. */
        List<Member> listed() {
            return members.stream().sorted(Comparator.comparing((Member m) -> !m.isAdmin())
                                                   .thenComparingLong(Member::joinedAt)).toList();
        }
    }

    /**
     * A membership event, stored as a message of the group sent by {@code by} (docs/protocol.md, "Membership
     * changes are messages").
     *
     * @param event  {@code created}, {@code added}, {@code removed}, {@code admin} or {@code left}
     * @param by     who made the change (the message's sender)
     * @param users  the users concerned (empty for {@code left})
     * @param admins who became admin by a {@code left} (else empty)
     * @param name   the group's name, for {@code created} (else null)
     */
    record Event(String event, String by, List<String> users, List<String> admins, String name) {
    }

    /**
     * The outcome of a change.
     *
     * @param group        the group after it
     * @param event        the event to store as a message of the group, or null when nothing changed
     * @param participants who the event message goes to: the members after the change, and those removed or
     *                     leaving by it
     */
    record Change(Group group, Event event, List<String> participants) {
    }
}
