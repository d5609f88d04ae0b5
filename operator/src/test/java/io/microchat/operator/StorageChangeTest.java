package io.microchat.operator;

import java.time.Instant;
import java.util.List;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.microchat.operator.StorageChange.Action;
import io.microchat.operator.api.MicroChat;
import io.microchat.operator.api.MicroChatStatus;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

/** What a change of the managed MongoDB's storage does, decided without a cluster. */
class StorageChangeTest {

    @Test
    void theSameStorageNeedsNothing() {
        assertThat(StorageChange.decide("10Gi", null, null, List.of(claim("data-x-0", "10Gi")), null).action(),
                   is(Action.NONE));
        assertThat("no claims yet: nothing to do",
                   StorageChange.decide("20Gi", null, null, List.of(), false).action(), is(Action.NONE));
    }

    @Test
    void aLargerSizeExpandsTheSmallerClaimsWhenTheClassAllowsIt() {
        StorageChange change = StorageChange.decide("20Gi", "standard", "standard",
                                                    List.of(claim("data-x-1", "10Gi"), claim("data-x-0", "20Gi")), true);
        assertThat(change.action(), is(Action.EXPAND));
        assertThat(change.claims(), contains("data-x-1"));
        assertThat("the same size in other units", StorageChange.decide("10240Mi", null, null,
                                                                        List.of(claim("data-x-0", "10Gi")), true)
                .action(), is(Action.NONE));
    }

    @Test
    void aClassThatCannotExpandIsRefusedInWords() {
        StorageChange change = StorageChange.decide("20Gi", null, null, List.of(claim("data-x-0", "10Gi")), false);
        assertThat(change.action(), is(Action.REFUSE));
        assertThat(change.message(), containsString("does not allow volume expansion"));
        assertThat(StorageChange.decide("20Gi", null, null, List.of(claim("data-x-0", "10Gi")), null).message(),
                   containsString("cannot read their StorageClass"));
    }

    @Test
    void volumesNeverShrinkAndNeverChangeClass() {
        assertThat(StorageChange.decide("5Gi", null, null, List.of(claim("data-x-0", "10Gi")), true).message(),
                   containsString("volumes cannot shrink"));
        StorageChange moved = StorageChange.decide("10Gi", "fast", null, List.of(claim("data-x-0", "10Gi")), true);
        assertThat(moved.action(), is(Action.REFUSE));
        assertThat(moved.message(), containsString("storageClassName cannot change on existing volumes (from the "
                                                   + "cluster's default class to 'fast')"));
    }

    @Test
    void aRefusedChangeDegradesTheStatusWithAConditionAndAnEvent() {
        MicroChat mc = TestMicroChats.minimal("demo", "chat");
        MicroChatStatus ready = new MicroChatStatus();
        ready.phase = StatusCalculator.READY;
        MicroChatStatus refused = StatusCalculator.changeRefused(mc, new MicroChatStatus(), "no", Instant.EPOCH);
        assertThat(refused.phase, is((String) null));
        MicroChatStatus status = new MicroChatStatus();
        status.phase = StatusCalculator.READY;
        status = StatusCalculator.changeRefused(mc, status, "spec.mongodb.storageClassName cannot change",
                                                Instant.EPOCH);
        assertThat(status.phase, is(StatusCalculator.DEGRADED));
        assertThat(status.message, is("spec.mongodb.storageClassName cannot change"));
        var applied = status.conditions.stream().filter(c -> c.getType().equals("SpecApplied")).findFirst()
                .orElseThrow();
        assertThat(applied.getStatus(), is("False"));
        assertThat(applied.getReason(), is("ChangeRefused"));
        var decisions = OperatorEvents.decisions(ready, status);
        assertThat(decisions, hasItem(new OperatorEvents.Decision(OperatorEvents.WARNING, "ChangeRefused",
                                                                  "spec.mongodb.storageClassName cannot change")));
        assertThat("once, not on every reconcile", OperatorEvents.decisions(status, status), is(List.of()));
    }

    private static PersistentVolumeClaim claim(String name, String size) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNewResources().addToRequests("storage", new Quantity(size)).endResources().endSpec()
                .build();
    }
}
