package io.microchat.common;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.mongodb.client.MongoDatabase;
import io.helidon.dbclient.DbClient;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import org.bson.Document;

/**
 * Readiness: MongoDB answers a {@code ping} within the timeout. The ping runs on a virtual thread, so a
 * database that does not answer at all cannot hold the probe longer than the timeout.
 */
public final class MongoHealthCheck implements HealthCheck {

    private final MongoDatabase database;
    private final Duration timeout;

    /**
     * A check.
     *
     * @param db      the client whose database is pinged
     * @param timeout how long the ping may take before the check says DOWN
     */
    public MongoHealthCheck(DbClient db, Duration timeout) {
        this.database = db.unwrap(MongoDatabase.class);
        this.timeout = timeout;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return "mongodb";
    }

    @Override
    public HealthCheckResponse call() {
        FutureTask<Document> ping = new FutureTask<>(() -> database.runCommand(new Document("ping", 1)));
        Thread.ofVirtual().name("mongo-ping").start(ping);
        try {
            ping.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return HealthCheckResponse.builder().status(true).build();
        } catch (TimeoutException e) {
            ping.cancel(true);
            return down("no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return down(e.getCause().getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down("interrupted");
        }
    }

    private static HealthCheckResponse down(String why) {
        return HealthCheckResponse.builder().status(false).detail("error", why).build();
    }
}
