package io.microchat.e2e;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.microchat.devstack.LocalStack;
import io.microchat.devstack.TemporaryDirectory;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The local stack a browser test class runs against: auth and two chat instances on free ports, with its data in a
 * temporary directory that goes with it.
 */
final class BrowserStack implements AutoCloseable {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private final TemporaryDirectory data;
    private final LocalStack stack;

    private BrowserStack(TemporaryDirectory data, LocalStack stack) {
        this.data = data;
        this.stack = stack;
    }

    /**
     * Starts the stack, once Debian's chromium and chromium-driver are known to be there.
     *
     * @param dataName   the temporary directory's name prefix
     * @param serviceEnv more settings for the services (short token lifetimes, other limits)
     * @return the running stack
     */
    static BrowserStack start(String dataName, Map<String, String> serviceEnv) {
        assertThat("Debian's chromium and chromium-driver are installed (make test installs them)",
                   Browser.available(), is(true));
        TemporaryDirectory data = TemporaryDirectory.create(dataName);
        try {
            return new BrowserStack(data, LocalStack.start(LocalStack.Settings.onFreePorts(root(), data.path(), 2,
                                                                                           System.out), serviceEnv));
        } catch (RuntimeException e) {
            data.close();
            throw e;
        }
    }

    /** The checkout the tests run in (its built jars start the services and the terminal client). */
    static Path root() {
        return Path.of(System.getProperty("microchat.root", "..")).toAbsolutePath().normalize();
    }

    /** A user name no other test of this JVM uses. */
    static String name(String prefix) {
        return prefix + NAMES.incrementAndGet();
    }

    LocalStack local() {
        return stack;
    }

    @Override
    public void close() {
        try {
            stack.close();
        } finally {
            data.close();
        }
    }
}
