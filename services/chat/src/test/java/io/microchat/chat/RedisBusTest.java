package io.microchat.chat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.helidon.metrics.api.Metrics;
import io.microchat.devstack.EmbeddedRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * {@link RedisBus} against a real Redis, reached through a proxy that can stop reading what the bus writes (Redis
 * not reading, or a half-open link): a subscription write that blocks must not hold up anybody else's.
 */
class RedisBusTest {

    /** Long: the machine may be busy, and nothing here waits for a timeout to pass. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private EmbeddedRedis redis;
    private StallingProxy proxy;
    private RedisBus bus;

    @BeforeEach
    void start() throws IOException {
        redis = EmbeddedRedis.onFreePort().start();
        proxy = new StallingProxy(redis.port());
        bus = new RedisBus(URI.create("redis://127.0.0.1:" + proxy.port()),
                           new ChatMetrics(Metrics.globalRegistry(), "redis-bus-test"));
    }

    @AfterEach
    void stop() {
        proxy.resume();
        bus.close();
        proxy.close();
        redis.stop();
    }

    @Test
    void aSubscriptionWriteThatBlocksHoldsUpNoOtherSubscribeOrUnsubscribe() throws Exception {
        CompletableFuture<Void> first = bus.subscribe("user:first");
        bus.start();
        first.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        proxy.pause();
        // more than the socket buffers hold (the client's send buffer grows to 4 MiB at most, the proxy's receive
        // buffer is small): the write of this SUBSCRIBE blocks until the proxy reads again
        String huge = "user:" + "x".repeat(12 << 20);
        Thread blocked = Thread.ofPlatform().daemon().start(() -> bus.subscribe(huge));
        Thread.sleep(500);

        CompletableFuture<CompletableFuture<Void>> other = new CompletableFuture<>();
        Thread others = Thread.ofPlatform().daemon().start(() -> {
            CompletableFuture<Void> subscribed = bus.subscribe("user:second"); // another user's auth
            bus.unsubscribe("user:first"); // another user's last connection closing
            other.complete(subscribed);
        });
        assertThat("other users' subscribe and unsubscribe are not held up by a blocked write",
                   others.join(Duration.ofSeconds(2)), is(true));
        assertThat(blocked.join(Duration.ofSeconds(2)), is(true));

        proxy.resume();
        other.get().get(WAIT.toMillis(), TimeUnit.MILLISECONDS); // confirmed once Redis reads again, in order
        assertThat(bus.subscribe(huge).isDone(), is(true));
    }

    /** Forwards TCP to Redis; while paused it reads nothing from the client, so the client's writes back up. */
    private static final class StallingProxy implements AutoCloseable {
        private final ServerSocket server;
        private final int target;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private volatile boolean paused;

        StallingProxy(int target) throws IOException {
            this.target = target;
            this.server = new ServerSocket();
            server.setReceiveBufferSize(64 * 1024); // accepted sockets get it
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread.ofPlatform().daemon().start(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        void pause() {
            paused = true;
        }

        void resume() {
            paused = false;
        }

        private void accept() {
            try {
                while (true) {
                    Socket client = server.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                    sockets.add(client);
                    sockets.add(upstream);
                    Thread.ofPlatform().daemon().start(() -> pump(client, upstream, true));
                    Thread.ofPlatform().daemon().start(() -> pump(upstream, client, false));
                }
            } catch (IOException e) {
                // closed
            }
        }

        private void pump(Socket from, Socket to, boolean pausable) {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                while (true) {
                    while (pausable && paused) {
                        Thread.sleep(10);
                    }
                    int n = in.read(buffer);
                    if (n < 0) {
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }

        @Override
        public void close() {
            closeQuietly(server);
            sockets.forEach(RedisBusTest.StallingProxy::closeQuietly);
        }

        private static void closeQuietly(AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing
            }
        }
    }
}
