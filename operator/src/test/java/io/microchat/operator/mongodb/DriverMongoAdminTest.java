package io.microchat.operator.mongodb;

import java.net.ServerSocket;
import java.util.List;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The operator's MongoDB client against a server that speaks the wire protocol but is no replica set (there is no
 * mongod here): it tells a member that answers from one that does not, quickly, and reports what MongoDB refuses as
 * an {@link MongoAdmin.AdminException} with the reason and never the password.
 */
class DriverMongoAdminTest {

    private static final MongoAdmin.Credentials ROOT = new MongoAdmin.Credentials("root", "s3cretRootPassw0rd");
    private final DriverMongoAdmin admin = new DriverMongoAdmin();
    private MongoServer server;
    private String host;

    @BeforeEach
    void start() throws Exception {
        server = new MongoServer(new MemoryBackend());
        int port = freePort();
        server.bind("127.0.0.1", port);
        host = "127.0.0.1:" + port;
    }

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    @Test
    void aServerThatAnswersHelloAnswersAndAClosedPortOrUnknownHostDoesNotQuickly() throws Exception {
        assertThat(admin.answers(host), is(true));
        int closed = freePort();
        long start = System.nanoTime();
        assertThat(admin.answers("127.0.0.1:" + closed), is(false));
        assertThat(admin.answers("nobody-mongodb-0.nobody-mongodb.nowhere.svc:27017"), is(false));
        assertThat("seconds, not the driver's 30 s default", (System.nanoTime() - start) / 1_000_000L,
                   lessThan(10_000L));
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void whatTheServerRefusesIsReportedWithItsReasonAndWithoutThePassword() {
        var refused = assertThrows(MongoAdmin.AdminException.class,
                                   () -> admin.initiate(new ReplicaSetConfig("rs0", 1, List.of(
                                           new ReplicaSetConfig.Member(0, host))), ROOT));
        assertThat(refused.getMessage(), containsString("replSetInitiate failed"));
        assertThat(refused.getMessage(), not(containsString(ROOT.password())));
        var unreadable = assertThrows(MongoAdmin.AdminException.class, () -> admin.config(List.of(host), ROOT));
        assertThat(unreadable.getMessage(), containsString("No member answered replSetGetConfig"));
        assertThat(unreadable.getMessage(), not(containsString(ROOT.password())));
        assertThat(ROOT.toString(), not(containsString(ROOT.password())));
    }
}
