package io.microchat.auth;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The lines logged on {@code io.microchat.security} while it is open. */
final class SecurityLogCapture extends Handler implements AutoCloseable {

    private final Logger logger = Logger.getLogger("io.microchat.security");
    private final List<String> lines = new CopyOnWriteArrayList<>();

    SecurityLogCapture() {
        logger.addHandler(this);
    }

    List<String> lines() {
        return lines;
    }

    @Override
    public void publish(LogRecord record) {
        lines.add(record.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
