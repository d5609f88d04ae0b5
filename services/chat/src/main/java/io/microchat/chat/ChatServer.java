package io.microchat.chat;

import java.util.logging.Logger;

import io.helidon.webserver.WebServer;

/**
 * A running chat instance and everything it opened, so it can be drained and stopped as a whole.
 */
public final class ChatServer {

    private static final Logger LOGGER = Logger.getLogger(ChatServer.class.getName());

    private final WebServer webServer;
    private final Main.Parts parts;

    ChatServer(WebServer webServer, Main.Parts parts) {
        this.webServer = webServer;
        this.parts = parts;
    }

    /**
     * The HTTP and WebSocket port.
     *
     * @return the port
     */
    public int port() {
        return webServer.port();
    }

    WebServer webServer() {
        return webServer;
    }

    ChatHub hub() {
        return parts.hub();
    }

    /** The instance's outbox budgets (for tests). */
    OutboxBudgets budgets() {
        return parts.budgets();
    }

    /** How many connections the instance holds (for tests). */
    int connectionCount() {
        return parts.connections().size();
    }

    /**
     * On how many instances a user has connections, as this one knows (for tests).
     *
     * @param username the user
     * @return the count
     */
    int instancesWith(String username) {
        return parts.presence().instancesWith(Users.key(username));
    }

    /** What SIGTERM does: drain (clients told to reconnect elsewhere, nothing in flight lost), then stop. */
    public void drainAndStop() {
        long start = System.currentTimeMillis();
        parts.hub().drain(parts.settings().drainTimeout());
        stop();
        LOGGER.info("drained and stopped in " + (System.currentTimeMillis() - start) + " ms");
    }

    /** Stops everything at once. */
    public void stop() {
        webServer.stop();
        parts.stop();
    }
}
