package io.microchat.chat;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import io.helidon.metrics.api.Metrics;
import io.helidon.websocket.WsSession;
import io.microchat.common.AuthenticatedUser;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.sameInstance;

/** What a connection keeps while idle (issue 19): timers it lets go of, identity shared with its user's others. */
class IdleConnectionStateTest {

    private final ChatMetrics metrics = new ChatMetrics(Metrics.globalRegistry(), "idle-state-test");
    private final OutboxBudgets budgets = new OutboxBudgets(1 << 20, 1 << 22, 1L << 30);

    @Test
    void authenticationCancelsTheAuthenticationTimeout() {
        Connection connection = connection();
        CompletableFuture<Void> timeout = new CompletableFuture<>();
        connection.cancelOnAuthentication(timeout);

        connection.authenticated(alice("s1"), budgets.join("alice"));

        assertThat(timeout.isCancelled(), is(true));
    }

    @Test
    void aNewExpiryCancelsThePreviousAndCloseCancelsTheLast() {
        Connection connection = connection();
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        connection.expiresWith(first);
        connection.expiresWith(second);

        assertThat(first.isCancelled(), is(true));
        assertThat(second.isCancelled(), is(false));
        connection.closedByPeer();
        assertThat(second.isCancelled(), is(true));
    }

    @Test
    void closeHooksStillRunAtCloseAndAtOnceAfterIt() {
        Connection connection = connection();
        int[] runs = new int[1];
        connection.onClose(() -> runs[0]++);
        connection.closedByPeer();
        connection.onClose(() -> runs[0]++);

        assertThat(runs[0], is(2));
    }

    @Test
    void connectionsOfAUserShareItsIdentityAndKey() {
        OutboxBudgets.User budget = budgets.join("alice");
        Connection one = connection();
        Connection two = connection();
        Connection otherSession = connection();
        one.authenticated(alice("s1"), budget);
        two.authenticated(alice("s1"), budgets.join("alice"));
        otherSession.authenticated(alice("s2"), budgets.join("alice"));

        assertThat(two.user(), sameInstance(one.user()));
        assertThat(two.userKey(), sameInstance(one.userKey()));
        assertThat(otherSession.user(), not(sameInstance(one.user())));
        assertThat(otherSession.user().sessionId(), is("s2"));
        assertThat(otherSession.user().userId(), sameInstance(one.user().userId()));
    }

    @Test
    void recentDeliveriesHoldNothingBeforeTheFirstMessage() {
        RecentDeliveries recent = new RecentDeliveries();

        assertThat(recent.contains("m1"), is(false));
        assertThat(recent.senderOf("m1"), nullValue());
        assertThat(recent.lastId(), nullValue());
    }

    private static AuthenticatedUser alice(String session) {
        // a fresh copy of every string, as each connection's token check makes
        return new AuthenticatedUser(new StringBuilder("u-1").toString(), new StringBuilder("alice").toString(),
                                     Instant.parse("2030-01-01T00:00:00Z"), session);
    }

    private Connection connection() {
        WsSession session = new RecordingSession() {
            @Override
            public WsSession send(String text, boolean last) {
                return this;
            }
        };
        return new Connection(session, metrics, budgets, 20, 40);
    }
}
