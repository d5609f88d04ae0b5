package io.microchat.chat;

import java.util.List;
import java.util.Set;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.ReadConcern;
import com.mongodb.ServerAddress;
import com.mongodb.WriteConcern;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.bulk.WriteConcernError;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import static io.microchat.chat.InsertOutcomes.Outcome.DUPLICATE;
import static io.microchat.chat.InsertOutcomes.Outcome.FAILED;
import static io.microchat.chat.InsertOutcomes.Outcome.STORED;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

/**
 * The decisions the message writer makes on what the real MongoDB driver reports, with the driver's own exception
 * types as a replica set produces them during an election.
 */
class InsertOutcomesTest {

    private static final ServerAddress PRIMARY = new ServerAddress("mongodb-0", 27017);

    @Test
    void aReturnedInsertIsMajorityCommittedSoEveryMessageIsAcknowledged() {
        assertThat(InsertOutcomes.of(3, null), contains(STORED, STORED, STORED));
    }

    @Test
    void aPrimaryThatSteppedDownAfterTheDriversRetryFailsTheWholeBatch() {
        // {ok: 0, code: 10107, codeName: NotWritablePrimary}: what a former primary answers during an election
        var notPrimary = new MongoNotPrimaryException(new BsonDocument("ok", new BsonInt32(0))
                .append("code", new BsonInt32(10107)).append("codeName", new BsonString("NotWritablePrimary"))
                .append("errmsg", new BsonString("not primary")), PRIMARY);
        assertThat(InsertOutcomes.of(2, notPrimary), contains(FAILED, FAILED));
    }

    @Test
    void noPrimaryWithinTheSelectionTimeoutOrALostConnectionFailsTheWholeBatch() {
        assertThat(InsertOutcomes.of(2, new MongoTimeoutException("no primary")), contains(FAILED, FAILED));
        assertThat(InsertOutcomes.of(1, new MongoSocketReadException("closed", PRIMARY)), contains(FAILED));
    }

    @Test
    void aWriteConcernErrorMeansNotKnownOnAMajoritySoNothingIsAcknowledged() {
        var timeout = new WriteConcernError(64, "WriteConcernFailed", "waiting for replication timed out",
                                            new BsonDocument("wtimeout", new BsonInt32(1)));
        assertThat(InsertOutcomes.of(2, new MongoWriteConcernException(timeout, PRIMARY)), contains(FAILED, FAILED));
        var bulk = new MongoBulkWriteException(BulkWriteResult.acknowledged(2, 0, 0, 0, List.of(), List.of()),
                                               List.of(), timeout, PRIMARY, Set.of());
        assertThat(InsertOutcomes.of(2, bulk), contains(FAILED, FAILED));
    }

    @Test
    void aDuplicateClientIdIsARetryAndTheRestOfTheBatchIsStored() {
        var duplicate = new BulkWriteError(11000, "E11000 duplicate key error", new BsonDocument(), 1);
        var bulk = new MongoBulkWriteException(BulkWriteResult.acknowledged(2, 0, 0, 0, List.of(), List.of()),
                                               List.of(duplicate), null, PRIMARY, Set.of());
        assertThat(InsertOutcomes.of(3, bulk), contains(STORED, DUPLICATE, STORED));
    }

    @Test
    void aDuplicateTogetherWithAWriteConcernErrorIsStillResolvedButTheRestFails() {
        var duplicate = new BulkWriteError(11000, "E11000 duplicate key error", new BsonDocument(), 0);
        var steppedDown = new WriteConcernError(189, "PrimarySteppedDown", "stepped down", new BsonDocument());
        var bulk = new MongoBulkWriteException(BulkWriteResult.acknowledged(1, 0, 0, 0, List.of(), List.of()),
                                               List.of(duplicate), steppedDown, PRIMARY, Set.of());
        assertThat(InsertOutcomes.of(2, bulk), contains(DUPLICATE, FAILED));
    }

    @Test
    void anotherWriteErrorFailsOnlyItsMessage() {
        var invalid = new BulkWriteError(2, "BadValue", new BsonDocument(), 0);
        var bulk = new MongoBulkWriteException(BulkWriteResult.acknowledged(1, 0, 0, 0, List.of(), List.of()),
                                               List.of(invalid), null, PRIMARY, Set.of());
        assertThat(InsertOutcomes.of(2, bulk), contains(FAILED, STORED));
    }

    @Test
    void messagesAreWrittenWithMajorityAndJournalAndReadWithMajority() {
        assertThat(MessageStore.WRITE_CONCERN.getWString(), is("majority"));
        assertThat(MessageStore.WRITE_CONCERN.getJournal(), is(true));
        assertThat(MessageStore.WRITE_CONCERN.isAcknowledged(), is(true));
        assertThat(MessageStore.READ_CONCERN, is(ReadConcern.MAJORITY));
        assertThat(MessageStore.WRITE_CONCERN, is(WriteConcern.MAJORITY.withJournal(true)));
    }
}
