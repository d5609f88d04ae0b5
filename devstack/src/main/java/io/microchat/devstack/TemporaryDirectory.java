package io.microchat.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A directory that exists while it is open and is deleted with everything in it when closed: the data of a
 * throwaway stack (its development signing key, the store's file, a browser profile) does not outlive the test
 * or benchmark that made it.
 */
public final class TemporaryDirectory implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(TemporaryDirectory.class.getName());

    private final Path path;

    private TemporaryDirectory(Path path) {
        this.path = path;
    }

    /**
     * Creates a directory under the system's temporary directory, readable by this user only on POSIX systems.
     *
     * @param prefix the start of its name
     * @return the open directory
     */
    public static TemporaryDirectory create(String prefix) {
        try {
            return new TemporaryDirectory(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Where it is.
     *
     * @return the directory
     */
    public Path path() {
        return path;
    }

    /** Deletes the directory and its contents; what cannot be deleted (a file still being written) is logged. */
    @Override
    public void close() {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            tree.sorted(Comparator.reverseOrder()).forEach(TemporaryDirectory::delete);
        } catch (IOException | UncheckedIOException e) {
            LOGGER.warning(() -> "could not delete " + path + ": " + e.getMessage());
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
