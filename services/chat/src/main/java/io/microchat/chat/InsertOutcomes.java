package io.microchat.chat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.bulk.BulkWriteError;

/**
 * What the outcome of one {@code insertMany} (unordered, {@code w: majority}, journaled, retryable) means for each
 * message of the batch: acknowledge it, resolve it as a retry of a message stored before, or report it as not
 * stored so that the client sends it again with the same {@code clientId}.
 *
 * <p>The rule is that a message is acknowledged only when MongoDB said it is on a majority of the replica set's
 * journals. The driver has already retried once (retryable writes) when the first attempt met an election
 * ({@code NotWritablePrimary}, {@code PrimarySteppedDown}, a closed socket); what reaches this class is what that
 * retry could not fix:
 * <ul>
 *   <li>no exception: every message is majority-committed;</li>
 *   <li>a bulk write exception: a duplicate key is a retried send (resolved against the stored original); any
 *       other write error fails its message; the messages without a write error are stored, <b>unless the
 *       exception carries a write concern error</b> (a {@code wtimeout}, a primary that stepped down before
 *       replicating): then they are on the primary but not known to be on a majority, and a failover may roll
 *       them back, so they fail too (a retry finds them by {@code clientId} if they survived);</li>
 *   <li>any other exception (no primary within the server selection timeout, a network error, a write concern
 *       error on its own): nothing is known, every message fails.</li>
 * </ul>
 */
final class InsertOutcomes {

    /** What happens to one message. */
    enum Outcome {
        /** majority-committed: acknowledge it */
        STORED,
        /** its {@code clientId} was stored before: acknowledge the original */
        DUPLICATE,
        /** not known to be durable: report it as not stored */
        FAILED
    }

    private InsertOutcomes() {
    }

    /**
     * The outcome of each message of a batch.
     *
     * @param batchSize how many messages were inserted, in order
     * @param failure   what {@code insertMany} threw, or null when it returned
     * @return one outcome per message, in batch order
     */
    static List<Outcome> of(int batchSize, MongoException failure) {
        if (failure == null) {
            return Collections.nCopies(batchSize, Outcome.STORED);
        }
        if (!(failure instanceof MongoBulkWriteException bulk)) {
            return Collections.nCopies(batchSize, Outcome.FAILED);
        }
        Outcome unlisted = bulk.getWriteConcernError() == null ? Outcome.STORED : Outcome.FAILED;
        List<Outcome> outcomes = new ArrayList<>(Collections.nCopies(batchSize, unlisted));
        for (BulkWriteError error : bulk.getWriteErrors()) {
            if (error.getIndex() >= 0 && error.getIndex() < batchSize) {
                outcomes.set(error.getIndex(), ErrorCategory.fromErrorCode(error.getCode()) == ErrorCategory.DUPLICATE_KEY
                        ? Outcome.DUPLICATE : Outcome.FAILED);
            }
        }
        return outcomes;
    }
}
