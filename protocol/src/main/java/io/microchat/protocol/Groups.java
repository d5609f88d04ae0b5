package io.microchat.protocol;

/**
 * The values of the chat protocol's group frames (docs/protocol.md, "Groups"): roles, membership events, the
 * shape of group ids and the default limits.
 */
public final class Groups {

    /** A group's id: {@code g-} and 24 hex digits. */
    public static final String ID_PATTERN = "g-[0-9a-f]{24}";
    /** A member who may add, remove and name admins. */
    public static final String ADMIN = "admin";
    /** A member. */
    public static final String MEMBER = "member";
    /** Membership event: the group was created ({@code name}, {@code users}). */
    public static final String EVENT_CREATED = "created";
    /** Membership event: members were added ({@code users}). */
    public static final String EVENT_ADDED = "added";
    /** Membership event: members were removed ({@code users}). */
    public static final String EVENT_REMOVED = "removed";
    /** Membership event: members were made admins ({@code users}). */
    public static final String EVENT_ADMIN = "admin";
    /** Membership event: the sender left ({@code admins}: who became admin by it). */
    public static final String EVENT_LEFT = "left";
    /** The default most members of a group ({@code app.groups.max-members}). */
    public static final int DEFAULT_MAX_MEMBERS = 256;
    /** The longest group name, in characters after trimming. */
    public static final int MAX_NAME_LENGTH = 100;
    /** {@code unread} counts stop here: this value means this many or more. */
    public static final int UNREAD_CAP = 1_000;

    private Groups() {
    }
}
