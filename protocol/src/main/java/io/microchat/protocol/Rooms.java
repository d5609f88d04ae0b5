package io.microchat.protocol;

/**
 * The chat protocol's rooms.
 */
public final class Rooms {

    /** The room everyone is in. */
    public static final String ALL = "all";

    private Rooms() {
    }
}
