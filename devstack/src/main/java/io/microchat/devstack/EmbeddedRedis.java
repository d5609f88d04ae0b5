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
    private RedisServer server;

    private EmbeddedRedis(int port) {
        this.port = port;
    }

    /**
     * A server on a free port, not yet started.
     *
     * @return the server
     */
    public static EmbeddedRedis onFreePort() {
        return new EmbeddedRedis(FreePort.find());
    }

    /**
     * A server on the given port, not yet started.
     *
     * @param port the port
     * @return the server
     */
    public static EmbeddedRedis onPort(int port) {
        return new EmbeddedRedis(port);
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
     * @return a {@code redis://} URL
     */
    public String url() {
        return "redis://127.0.0.1:" + port;
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
