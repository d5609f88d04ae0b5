package io.microchat.devstack;

import java.nio.file.Files;
import java.nio.file.Path;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * A server on 127.0.0.1 that speaks the MongoDB wire protocol (mongo-java-server), for tests and the local stack.
 * With a file it keeps its data there (H2 MVStore), so a restart loses nothing; without one it keeps data in
 * memory until it is stopped.
 */
public final class EmbeddedMongo implements AutoCloseable {

    private final Path file;
    private final int port;
    private MongoServer server;

    private EmbeddedMongo(Path file, int port) {
        this.file = file;
        this.port = port;
    }

    /**
     * An in-memory store on a free port, not yet started.
     *
     * @return the store
     */
    public static EmbeddedMongo inMemory() {
        return inMemory(FreePort.find());
    }

    /**
     * An in-memory store on a port, not yet started.
     *
     * @param port the port
     * @return the store
     */
    public static EmbeddedMongo inMemory(int port) {
        return new EmbeddedMongo(null, port);
    }

    /**
     * A store that keeps its data in a file.
     *
     * @param file the H2 file
     * @param port the port to listen on
     * @return the store, not yet started
     */
    public static EmbeddedMongo persistent(Path file, int port) {
        return new EmbeddedMongo(file, port);
    }

    /**
     * Starts listening; again after {@link #stop()}, on the same port and with the same data.
     *
     * @return this store
     */
    public synchronized EmbeddedMongo start() {
        if (server != null) {
            return this;
        }
        MongoBackend backend;
        if (file == null) {
            backend = new MemoryBackend();
        } else {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            backend = new H2Backend(file.toString());
        }
        MongoServer started = new MongoServer(backend);
        started.bind("127.0.0.1", port);
        server = started;
        return this;
    }

    /**
     * Stops the server and drops every open connection, as a crashed database would. A file-backed store
     * starts again with its data; an in-memory one starts again empty.
     */
    public synchronized void stop() {
        if (server != null) {
            server.shutdownNow();
            server = null;
        }
    }

    /**
     * The connection string for a database.
     *
     * @param database the database name
     * @return a {@code mongodb://} URI
     */
    public String uri(String database) {
        return uri(port, database);
    }

    /**
     * The connection string for a database of a store on a port of 127.0.0.1.
     *
     * @param port     the store's port
     * @param database the database name
     * @return a {@code mongodb://} URI
     */
    static String uri(int port, String database) {
        return "mongodb://127.0.0.1:" + port + "/" + database + "?serverSelectionTimeoutMS=2000&connectTimeoutMS=2000";
    }

    /**
     * The port.
     *
     * @return the port this store listens on
     */
    public int port() {
        return port;
    }

    @Override
    public void close() {
        stop();
    }
}
