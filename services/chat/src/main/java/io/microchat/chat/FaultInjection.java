package io.microchat.chat;

/**
 * Test hooks that put an instance in a bad moment which no timing could hit reliably, so that tests can kill it
 * there. Off unless its environment variable is set; with it unset the production path is unchanged.
 */
final class FaultInjection {

    /**
     * Environment variable: a marker text. A message whose text contains it is stored and acknowledged but then
     * neither delivered nor published, as if the instance died at that instant (the test then kills it).
     */
    static final String STALL_BEFORE_PUBLISH = "MICROCHAT_TEST_STALL_BEFORE_PUBLISH";

    private static final String STALL_MARKER = System.getenv(STALL_BEFORE_PUBLISH);

    private FaultInjection() {
    }

    /**
     * Whether a stored message stops here instead of being delivered and published (never, unless the test hook
     * is set).
     *
     * @param message the stored message
     * @return true when the hook is set and the text carries its marker
     */
    static boolean stallsBeforePublish(ChatMessage message) {
        return STALL_MARKER != null && !STALL_MARKER.isEmpty() && message.text().contains(STALL_MARKER);
    }
}
