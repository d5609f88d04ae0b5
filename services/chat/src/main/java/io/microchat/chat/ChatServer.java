package io.microchat.chat;

import java.time.Duration;
import java.util.logging.Logger;

import io.helidon.dbclient.DbClient;
import io.helidon.webserver.WebServer;

/**
 * A running chat instance and everything it opened, so it can be drained and stopped as a whole.
 */
public final class ChatServer {

    private static final Logger LOGGER = Logger.getLogger(ChatServer.class.getName());

    private final WebServer webServer;
    private final ChatHub hub;
    private final MessageStore store;
    private final RedisBus bus;
    private final Presence presence;
    private final DbClient db;
    private final Duration drainTimeout;

    ChatServer(WebServer webServer, ChatHub hub, MessageStore store, RedisBus bus, Presence presence, DbClient db,
               Duration drainTimeout) {
        this.webServer = webServer;
        this.hub = hub;
        this.store = store;
        this.bus = bus;
        this.presence = presence;
        this.db = db;
        this.drainTimeout = drainTimeout;
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
        return hub;
    }

    /** What SIGTERM does: drain (clients told to reconnect elsewhere, nothing in flight lost), then stop. */
    public void drainAndStop() {
        long start = System.currentTimeMillis();
        hub.drain(drainTimeout);
        stop();
        LOGGER.info("drained and stopped in " + (System.currentTimeMillis() - start) + " ms");
    }

    /** Stops everything at once. */
    public void stop() {
        webServer.stop();
        hub.sessionGuard().close();
        presence.close();
        bus.close();
        store.close();
        db.close();
    }
}
