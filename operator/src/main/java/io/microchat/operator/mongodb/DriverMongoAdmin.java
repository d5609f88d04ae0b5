package io.microchat.operator.mongodb;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoCredential;
import com.mongodb.MongoException;
import com.mongodb.ReadPreference;
import com.mongodb.ServerAddress;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.Document;

/**
 * {@link MongoAdmin} with the MongoDB Java driver, authenticated as the root user with SCRAM-SHA-256 against the
 * {@code admin} database. Every call opens a short-lived client with short timeouts, so that a member that does not
 * answer delays a reconcile by seconds, not minutes; credentials are never logged.
 */
public final class DriverMongoAdmin implements MongoAdmin {

    /** NotYetInitialized: {@code replSetGetConfig} on a member of a set that was never initiated. */
    static final int NOT_YET_INITIALIZED = 94;
    private static final int TIMEOUT_MILLIS = 3_000;

    @Override
    public boolean answers(String host) {
        ServerAddress address = new ServerAddress(host);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.getHost(), address.getPort()), TIMEOUT_MILLIS);
        } catch (IOException e) {
            return false;
        }
        try {
            return withClient(List.of(host), null, null, client ->
                    client.getDatabase("admin").runCommand(new Document("ping", 1)) != null);
        } catch (AdminException e) {
            return false;
        }
    }

    @Override
    public Optional<ReplicaSetConfig> config(List<String> hosts, Credentials root) {
        ReplicaSetConfig best = null;
        List<String> failures = new ArrayList<>();
        for (String host : hosts) {
            try {
                Optional<ReplicaSetConfig> found = withClient(List.of(host), null, root, client -> {
                    try {
                        Document reply = client.getDatabase("admin").runCommand(new Document("replSetGetConfig", 1));
                        return Optional.of(parse(reply.get("config", Document.class)));
                    } catch (MongoCommandException e) {
                        if (e.getErrorCode() == NOT_YET_INITIALIZED) {
                            return Optional.<ReplicaSetConfig>empty();
                        }
                        throw e;
                    }
                });
                if (found.isPresent() && (best == null || found.get().version() > best.version())) {
                    best = found.get();
                }
            } catch (AdminException e) {
                failures.add(host + ": " + e.getMessage());
            }
        }
        if (best == null && failures.size() == hosts.size()) {
            throw new AdminException("No member answered replSetGetConfig: " + String.join("; ", failures), null);
        }
        return Optional.ofNullable(best);
    }

    @Override
    public void initiate(ReplicaSetConfig config, Credentials root) {
        run(List.of(config.hosts().getFirst()), null, root, new Document("replSetInitiate", document(config)),
            "replSetInitiate");
    }

    /**
     * {@inheritDoc}
     *
     * <p>A primary cannot remove itself: when the next configuration leaves the primary out, it is asked to step
     * down first ({@code replSetStepDown}), and the reconfiguration happens on the next reconcile, on the new
     * primary.
     */
    @Override
    public void reconfigure(ReplicaSetConfig current, ReplicaSetConfig next, Credentials root) {
        String primary = withClient(current.hosts(), current.name(), root,
                                    client -> client.getDatabase("admin").runCommand(new Document("hello", 1))
                                            .getString("primary"));
        if (primary != null && !next.hosts().contains(primary)) {
            try {
                run(List.of(primary), null, root, new Document("replSetStepDown", 60), "replSetStepDown");
            } catch (AdminException e) {
                // a stepping-down primary closes its connections; the next reconcile sees the new primary
            }
            throw new AdminException("The primary " + primary + " is to be removed: asked it to step down first; "
                                     + "the member is removed on the new primary.", null);
        }
        run(current.hosts(), current.name(), root, new Document("replSetReconfig", document(next)),
            "replSetReconfig");
    }

    @Override
    public boolean ensureUser(ReplicaSetConfig config, Credentials root, String database, Credentials user,
                              String role) {
        return withClient(config.hosts(), config.name(), root, client -> {
            var db = client.getDatabase(database);
            Document info = db.runCommand(new Document("usersInfo", user.username()));
            if (!info.getList("users", Document.class, List.of()).isEmpty()) {
                return false;
            }
            db.runCommand(new Document("createUser", user.username()).append("pwd", user.password())
                                  .append("roles", List.of(new Document("role", role).append("db", database)))
                                  .append("writeConcern", new Document("w", "majority")));
            return true;
        });
    }

    private void run(List<String> hosts, String replicaSet, Credentials root, Document command, String name) {
        try {
            withClient(hosts, replicaSet, root, client -> client.getDatabase("admin").runCommand(command));
        } catch (AdminException e) {
            throw new AdminException(name + " failed: " + e.getMessage(), e.getCause());
        }
    }

    /** A client to the hosts: direct to one host, or to the replica set (its primary) when it is named. */
    private static <T> T withClient(List<String> hosts, String replicaSet, Credentials root,
                                    Function<MongoClient, T> action) {
        MongoClientSettings.Builder settings = MongoClientSettings.builder()
                .applyToClusterSettings(cluster -> {
                    cluster.hosts(hosts.stream().map(ServerAddress::new).toList())
                            .serverSelectionTimeout(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                    if (replicaSet == null) {
                        cluster.mode(com.mongodb.connection.ClusterConnectionMode.SINGLE);
                    } else {
                        cluster.requiredReplicaSetName(replicaSet);
                    }
                })
                .applyToSocketSettings(socket -> socket.connectTimeout(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                        .readTimeout(30_000, TimeUnit.MILLISECONDS))
                .readPreference(replicaSet == null ? ReadPreference.primaryPreferred() : ReadPreference.primary())
                .applicationName("microchat-operator");
        if (root != null) {
            settings.credential(MongoCredential.createScramSha256Credential(root.username(), "admin",
                                                                            root.password().toCharArray()));
        }
        try (MongoClient client = MongoClients.create(settings.build())) {
            return action.apply(client);
        } catch (MongoException e) {
            throw new AdminException(e.getMessage(), e);
        }
    }

    static ReplicaSetConfig parse(Document config) {
        List<ReplicaSetConfig.Member> members = new ArrayList<>();
        for (Document member : config.getList("members", Document.class)) {
            members.add(new ReplicaSetConfig.Member(((Number) member.get("_id")).intValue(), member.getString("host")));
        }
        return new ReplicaSetConfig(config.getString("_id"), ((Number) config.get("version")).intValue(), members);
    }

    /**
     * The configuration document: {@code _id}, {@code version} and members with their defaults (one vote,
     * priority 1).
     */
    static BsonDocument document(ReplicaSetConfig config) {
        BsonArray members = new BsonArray();
        for (ReplicaSetConfig.Member member : config.members()) {
            members.add(new BsonDocument("_id", new BsonInt32(member.id())).append("host",
                                                                                   new BsonString(member.host())));
        }
        return new BsonDocument("_id", new BsonString(config.name()))
                .append("version", new BsonInt32(config.version()))
                .append("members", members);
    }
}
