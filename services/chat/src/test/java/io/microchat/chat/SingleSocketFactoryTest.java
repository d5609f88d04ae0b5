package io.microchat.chat;

import java.time.Duration;

import io.microchat.devstack.EmbeddedRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The subscription connection of {@link RedisBus} is never opened again by a command written after it closed:
 * against a Redis that requires a password, where such a socket would be left unauthenticated and open.
 */
class SingleSocketFactoryTest {

    private static final String PASSWORD = "s3cret";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private EmbeddedRedis redis;
    private HostAndPort address;
    private JedisClientConfig config;
    private Jedis admin;

    @BeforeEach
    void start() {
        redis = EmbeddedRedis.onFreePort().withPassword(PASSWORD).start();
        address = new HostAndPort("127.0.0.1", redis.port());
        config = DefaultJedisClientConfig.builder().password(PASSWORD).build();
        admin = new Jedis(address, config);
    }

    @AfterEach
    void stop() {
        admin.close();
        redis.stop();
    }

    @Test
    void aCommandForAClosedSubscriptionFailsAndOpensNoSocket() {
        Jedis jedis = new Jedis(new SingleSocketFactory(address, config), config);
        assertThat("authenticated like any connection", jedis.ping(), is("PONG"));
        JedisPubSub subscriber = new JedisPubSub() { };
        Thread reading = Thread.ofPlatform().daemon().start(() -> {
            try {
                jedis.subscribe(subscriber, "chat:user:a");
            } catch (JedisConnectionException e) {
                // how the subscription ends when its connection is closed under it
            }
        });
        await().atMost(WAIT).until(subscriber::isSubscribed);
        long before = clients();

        jedis.close(); // what the subscribe loop does when the connection is gone
        await().atMost(WAIT).until(() -> !reading.isAlive());
        assertThrows(JedisConnectionException.class, () -> subscriber.subscribe("chat:user:b"),
                     "a SUBSCRIBE queued before the close fails");
        // Redis hears of the close on its own time; then the count stays there
        await().atMost(WAIT).until(() -> clients() == before - 1);
        assertThat("and left no socket behind", clients(), is(before - 1));
    }

    /** Why: a plain Jedis connection opens a new, unauthenticated socket for the next command after a close. */
    @Test
    void aPlainConnectionWouldOpenAStraySocket() {
        Jedis jedis = new Jedis(address, config);
        jedis.ping();
        long before = clients();
        jedis.close();

        assertThrows(JedisDataException.class, jedis::ping, "NOAUTH: the socket was opened again, unauthenticated");
        assertThat(clients(), is(before));
        jedis.close();
    }

    private long clients() {
        String info = admin.info("clients");
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("connected_clients:")) {
                return Long.parseLong(line.substring("connected_clients:".length()).trim());
            }
        }
        throw new AssertionError("no connected_clients in " + info);
    }
}
