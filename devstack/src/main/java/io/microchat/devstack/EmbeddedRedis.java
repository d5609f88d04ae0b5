package io.microchat.devstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;

import redis.embedded.RedisServer;

/**
 * A real Redis server process on 127.0.0.1, for tests and the local stack: Debian's {@code redis-server} when it
 * is installed, else the binary that the embedded-redis artifact ships. Nothing is persisted: MicroChat keeps
 * only presence and routing in Redis, and both rebuild themselves.
 */
public final class EmbeddedRedis implements AutoCloseable {

    private static final File SYSTEM_BINARY = new File("/usr/bin/redis-server");

    private final int port;
    private final String password;
    private RedisServer server;

    private EmbeddedRedis(int port, String password) {
        this.port = port;
        this.password = password;
    }

    /**
     * A server on a free port, not yet started.
     *
     * @return the server
     */
    public static EmbeddedRedis onFreePort() {
        return new EmbeddedRedis(FreePort.find(), null);
    }

    /**
     * A server on the given port, not yet started.
     *
     * @param port the port
     * @return the server
     */
    public static EmbeddedRedis onPort(int port) {
        return new EmbeddedRedis(port, null);
    }

    /**
     * The same server, requiring a password ({@code requirepass}) from every client.
     *
     * @param requiredPassword the password (letters and digits)
     * @return a new, not yet started server
     */
    public EmbeddedRedis withPassword(String requiredPassword) {
        if (!requiredPassword.matches("[A-Za-z0-9]+")) {
            throw new IllegalArgumentException("the test password must be letters and digits");
        }
        return new EmbeddedRedis(port, requiredPassword);
    }

    /**
     * Starts the server (again after {@link #stop()}, on the same port).
     *
     * @return this server
     */
    public synchronized EmbeddedRedis start() {
        if (server != null) {
            return this;
        }
        try {
            var builder = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .setting("protected-mode yes");
            if (password != null) {
                builder.setting("requirepass " + password);
            }
            if (SYSTEM_BINARY.canExecute()) {
                builder.executableProvider(() -> SYSTEM_BINARY);
            }
            RedisServer started = builder.build();
            started.start();
            server = started;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start redis-server on port " + port, e);
        }
        return this;
    }

    /** Stops the server process. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            server = null;
        }
    }

    /**
     * The URL clients connect with.
     *
     * @return a {@code redis://} URL, with the password when one is required
     */
    public String url() {
        return "redis://" + (password == null ? "" : ":" + password + "@") + "127.0.0.1:" + port;
    }

    /**
     * The port.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    @Override
    public void close() {
        stop();
    }
}
