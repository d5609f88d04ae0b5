package io.microchat.operator.mongodb;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.microchat.operator.mongodb.ReplicaSetConfig.Member;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every decision the operator makes about the replica set's configuration, without MongoDB. */
class ReplicaSetPlannerTest {

    private static final String H0 = "demo-mongodb-0.demo-mongodb.chat.svc:27017";
    private static final String H1 = "demo-mongodb-1.demo-mongodb.chat.svc:27017";
    private static final String H2 = "demo-mongodb-2.demo-mongodb.chat.svc:27017";
    private static final String H3 = "demo-mongodb-3.demo-mongodb.chat.svc:27017";
    private static final String H4 = "demo-mongodb-4.demo-mongodb.chat.svc:27017";
    private static final Set<String> ALL = Set.of(H0, H1, H2, H3, H4);

    private static ReplicaSetConfig config(int version, String... hosts) {
        List<Member> members = new java.util.ArrayList<>();
        for (int i = 0; i < hosts.length; i++) {
            members.add(new Member(i, hosts[i]));
        }
        return new ReplicaSetConfig("rs0", version, members);
    }

    @Test
    void aNewSetIsInitiatedWithItsFirstMemberAloneOnceItAnswers() {
        var waiting = ReplicaSetPlanner.next(Optional.empty(), "rs0", List.of(H0, H1, H2), Set.of(H1, H2));
        assertThat(waiting, instanceOf(ReplicaSetPlanner.Wait.class));
        assertThat(waiting.description(), containsString(H0));
        var initiate = ReplicaSetPlanner.next(Optional.empty(), "rs0", List.of(H0, H1, H2), Set.of(H0));
        assertThat(initiate, is(new ReplicaSetPlanner.Initiate(config(1, H0))));
    }

    @Test
    void membersAreAddedOneAtATimeInOrdinalOrderAsTheyAnswer() {
        var first = ReplicaSetPlanner.next(Optional.of(config(1, H0)), "rs0", List.of(H0, H1, H2), ALL);
        assertThat(first, is(new ReplicaSetPlanner.Reconfigure(config(2, H0, H1), "Adding " + H1
                                                                                  + " to replica set rs0.")));
        var second = ReplicaSetPlanner.next(Optional.of(config(2, H0, H1)), "rs0", List.of(H0, H1, H2), ALL);
        assertThat(second.config().orElseThrow(), is(config(3, H0, H1, H2)));
        var done = ReplicaSetPlanner.next(Optional.of(config(3, H0, H1, H2)), "rs0", List.of(H0, H1, H2), ALL);
        assertThat(done, instanceOf(ReplicaSetPlanner.Done.class));
    }

    @Test
    void aMemberThatDoesNotAnswerYetIsSkippedForOneThatDoes() {
        var step = ReplicaSetPlanner.next(Optional.of(config(1, H0)), "rs0", List.of(H0, H1, H2), Set.of(H0, H2));
        assertThat(step.config().orElseThrow().hosts(), contains(H0, H2));
        var waiting = ReplicaSetPlanner.next(Optional.of(config(2, H0, H2)), "rs0", List.of(H0, H1, H2),
                                             Set.of(H0, H2));
        assertThat(waiting, instanceOf(ReplicaSetPlanner.Wait.class));
        assertThat(waiting.description(), containsString(H1));
    }

    @Test
    void scalingDownRemovesTheHighestOrdinalFirstOneAtATime() {
        var first = ReplicaSetPlanner.next(Optional.of(config(7, H0, H1, H2, H3, H4)), "rs0", List.of(H0, H1, H2),
                                           ALL);
        assertThat(first.config().orElseThrow().hosts(), contains(H0, H1, H2, H3));
        assertThat(first.config().orElseThrow().version(), is(8));
        var second = ReplicaSetPlanner.next(first.config(), "rs0", List.of(H0, H1, H2), ALL);
        assertThat(second.config().orElseThrow().hosts(), contains(H0, H1, H2));
    }

    @Test
    void aMemberIsRemovedEvenWhenItsPodIsGone() {
        var step = ReplicaSetPlanner.next(Optional.of(config(3, H0, H1, H2)), "rs0", List.of(H0), Set.of(H0));
        assertThat(step.config().orElseThrow().hosts(), contains(H0, H1));
    }

    @Test
    void newMembersGetIdsNeverUsedInTheConfiguration() {
        var current = new ReplicaSetConfig("rs0", 9, List.of(new Member(0, H0), new Member(5, H2)));
        var step = ReplicaSetPlanner.next(Optional.of(current), "rs0", List.of(H0, H1, H2), ALL);
        assertThat(step.config().orElseThrow().members(), contains(new Member(0, H0), new Member(5, H2),
                                                                   new Member(6, H1)));
    }

    @Test
    void aSetIsNeverRenamedNorLeftWithoutMembers() {
        var renamed = ReplicaSetPlanner.next(Optional.of(config(3, H0, H1, H2)), "other", List.of(H0, H1, H2), ALL);
        assertThat(renamed, instanceOf(ReplicaSetPlanner.Wait.class));
        assertThat(renamed.description(), containsString("cannot be renamed"));
        var elsewhere = ReplicaSetPlanner.next(Optional.of(config(1, "old-host:27017")), "rs0", List.of(H0),
                                               Set.of());
        assertThat("the only member is not removed", elsewhere, instanceOf(ReplicaSetPlanner.Wait.class));
        assertThrows(IllegalArgumentException.class,
                     () -> ReplicaSetPlanner.next(Optional.empty(), "rs0", List.of(), ALL));
    }

    @Test
    void aSingleMemberSetForDevelopmentIsDoneWithOne() {
        var step = ReplicaSetPlanner.next(Optional.of(config(1, H0)), "rs0", List.of(H0), Set.of(H0));
        assertThat(step, instanceOf(ReplicaSetPlanner.Done.class));
        assertThat(step.description(), is("Replica set rs0 has its 1 member."));
    }

    @Test
    void theConfigurationDocumentIsWhatReplSetInitiateTakes() {
        var document = DriverMongoAdmin.document(config(2, H0, H1));
        assertThat(document.toJson(), is("{\"_id\": \"rs0\", \"version\": 2, \"members\": [{\"_id\": 0, \"host\": \""
                                         + H0 + "\"}, {\"_id\": 1, \"host\": \"" + H1 + "\"}]}"));
        assertThat(DriverMongoAdmin.parse(org.bson.Document.parse(document.toJson())), is(config(2, H0, H1)));
    }
}
