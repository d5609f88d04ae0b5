package io.microchat.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import io.microchat.protocol.ErrorCode;
import io.microchat.protocol.Groups;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Groups in MongoDB (mongo-java-server behind the real driver): the membership rules, and concurrent changes. */
class GroupStoreTest {

    private final StoreTestDb store = new StoreTestDb();
    private final GroupStore groups = new GroupStore(store.db, Groups.DEFAULT_MAX_MEMBERS);

    @AfterEach
    void close() {
        store.close();
    }

    private static String code(Runnable action) {
        return assertThrows(ProtocolException.class, action::run).code();
    }

    @Test
    void aUsersGroupsAreFoundByIndex() {
        groups.ensureIndexes();
        assertThat(store.db.getCollection("groups").listIndexes().map(i -> i.getString("name"))
                           .into(new ArrayList<>()), containsInAnyOrder("_id_", "groups_of_user"));
    }

    @Test
    void theCreatorIsTheFirstAdminAndTheCreationIsAnEvent() {
        GroupStore.Change change = groups.create("Alice", "Trip", List.of("bob", "Carol", "BOB", "alice"), 1_000);
        GroupStore.Group group = change.group();
        assertThat(group.id(), matchesPattern(Groups.ID_PATTERN));
        assertThat(group.memberKeys(), contains("alice", "bob", "carol"));
        assertThat(group.isAdmin("alice"), is(true));
        assertThat(group.isAdmin("bob"), is(false));
        assertThat(change.event(), is(new GroupStore.Event(Groups.EVENT_CREATED, "Alice", List.of("bob", "Carol"),
                                                            List.of(), "Trip")));
        assertThat(change.participants(), contains("alice", "bob", "carol"));
        assertThat(groups.find(group.id()).orElseThrow(), is(group));
        assertThat(groups.groupsOf("carol", 10).stream().map(GroupStore.Group::id).toList(), contains(group.id()));
        assertThat(groups.groupsOf("dave", 10), is(empty()));
    }

    @Test
    void aGroupOverTheMaximumIsNotCreated() {
        GroupStore small = new GroupStore(store.db, 3);
        assertThat(code(() -> small.create("alice", "Big", List.of("b1", "b2", "b3"), 1)),
                   is(ErrorCode.GROUP_TOO_LARGE));
        assertThat(small.groupsOf("alice", 10), is(empty()));
        small.create("alice", "Fits", List.of("b1", "b2"), 1);
    }

    @Test
    void adminsAddAndRemoveOthersDoNot() {
        String id = groups.create("alice", "Trip", List.of("bob"), 1).group().id();
        assertThat(code(() -> groups.add(id, "bob", List.of("carol"), 2)), is(ErrorCode.NOT_ADMIN));
        assertThat(code(() -> groups.add(id, "dave", List.of("carol"), 2)), is(ErrorCode.NOT_A_MEMBER));
        assertThat(code(() -> groups.add("g-000000000000000000000000", "alice", List.of("carol"), 2)),
                   is(ErrorCode.UNKNOWN_GROUP));
        assertThat(code(() -> groups.remove(id, "bob", List.of("alice"))), is(ErrorCode.NOT_ADMIN));
        assertThat(groups.find(id).orElseThrow().memberKeys(), contains("alice", "bob"));

        GroupStore.Change added = groups.add(id, "alice", List.of("carol", "bob", "Dave"), 5);
        assertThat(added.group().memberKeys(), contains("alice", "bob", "carol", "dave"));
        assertThat(added.group().member("dave").orElseThrow().joinedAt(), is(5L));
        assertThat(added.event().users(), contains("carol", "Dave"));
        assertThat(added.event().event(), is(Groups.EVENT_ADDED));

        GroupStore.Change again = groups.add(id, "alice", List.of("CAROL"), 6);
        assertThat(again.event(), is(nullValue()));
        assertThat(again.group().version(), is(added.group().version()));
    }

    @Test
    void aRemovalReachesTheRemovedButNotTheNextMessage() {
        String id = groups.create("alice", "Trip", List.of("bob", "carol"), 1).group().id();
        assertThat(code(() -> groups.remove(id, "alice", List.of("carol", "dave"))), is(ErrorCode.NOT_A_MEMBER));
        assertThat(code(() -> groups.remove(id, "alice", List.of("alice"))), is(ErrorCode.INVALID_FIELD));
        assertThat(groups.find(id).orElseThrow().memberKeys(), contains("alice", "bob", "carol"));

        GroupStore.Change removed = groups.remove(id, "alice", List.of("Carol"));
        assertThat(removed.group().memberKeys(), contains("alice", "bob"));
        assertThat(removed.participants(), containsInAnyOrder("alice", "bob", "carol"));
        assertThat(removed.event(), is(new GroupStore.Event(Groups.EVENT_REMOVED, "alice", List.of("carol"),
                                                             List.of(), null)));
        assertThat(code(() -> groups.requireMember(id, "carol")), is(ErrorCode.NOT_A_MEMBER));
        assertThat(groups.groupsOf("carol", 10), is(empty()));
    }

    @Test
    void adminsNameAdminsWhoThenMayAddAndRemove() {
        String id = groups.create("alice", "Trip", List.of("bob", "carol"), 1).group().id();
        assertThat(code(() -> groups.promote(id, "alice", List.of("dave"))), is(ErrorCode.NOT_A_MEMBER));
        GroupStore.Change promoted = groups.promote(id, "alice", List.of("bob", "alice"));
        assertThat(promoted.event().users(), contains("bob"));
        assertThat(groups.promote(id, "alice", List.of("bob")).event(), is(nullValue()));
        assertThat(promoted.group().listed().stream().map(GroupStore.Member::key).toList(),
                   contains("alice", "bob", "carol"));
        GroupStore.Change removed = groups.remove(id, "bob", List.of("alice"));
        assertThat(removed.group().memberKeys(), contains("bob", "carol"));
    }

    @Test
    void theLastAdminLeavingMakesTheOldestMemberAdmin() {
        String id = groups.create("alice", "Trip", List.of("bob"), 1).group().id();
        groups.add(id, "alice", List.of("carol"), 2);
        groups.add(id, "alice", List.of("dave"), 3);
        groups.remove(id, "alice", List.of("bob"));

        GroupStore.Change left = groups.leave(id, "alice");
        assertThat(left.group().memberKeys(), contains("carol", "dave"));
        assertThat(left.group().isAdmin("carol"), is(true));
        assertThat(left.group().isAdmin("dave"), is(false));
        assertThat(left.event(), is(new GroupStore.Event(Groups.EVENT_LEFT, "alice", List.of(), List.of("carol"),
                                                          null)));
        assertThat(left.participants(), containsInAnyOrder("alice", "carol", "dave"));
        assertThat(code(() -> groups.leave(id, "alice")), is(ErrorCode.NOT_A_MEMBER));

        GroupStore.Change notLast = groups.leave(id, "dave");
        assertThat(notLast.event().admins(), is(empty()));
        GroupStore.Change last = groups.leave(id, "carol");
        assertThat(last.group().members(), is(empty()));
        assertThat(code(() -> groups.requireMember(id, "carol")), is(ErrorCode.NOT_A_MEMBER));
    }

    @Test
    void twoConcurrentAddsToAGroupOf255MembersMakeItExactly256() throws Exception {
        List<String> members = IntStream.range(1, 255).mapToObj(i -> "m" + i).toList();
        GroupStore.Group group = groups.create("alice", "Full", members, 1).group();
        groups.promote(group.id(), "alice", List.of("m1"));
        assertThat(group.members().size(), is(255));

        List<Callable<String>> adds = List.of(() -> attemptAdd(group.id(), "alice", "x1"),
                                              () -> attemptAdd(group.id(), "m1", "x2"));
        List<String> outcomes = runTogether(adds);
        assertThat(outcomes, containsInAnyOrder("added", ErrorCode.GROUP_TOO_LARGE));
        assertThat(groups.find(group.id()).orElseThrow().members().size(), is(256));
    }

    @Test
    void manyConcurrentAddsNeverPassTheMaximum() throws Exception {
        GroupStore small = new GroupStore(store.db, 10);
        String id = small.create("alice", "Small", List.of("bob"), 1).group().id();
        small.promote(id, "alice", List.of("bob"));
        List<Callable<String>> adds = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String actor = i % 2 == 0 ? "alice" : "bob";
            String user = "u" + i;
            adds.add(() -> {
                try {
                    small.add(id, actor, List.of(user), 2);
                    return "added";
                } catch (ProtocolException e) {
                    return e.code();
                }
            });
        }
        List<String> outcomes = runTogether(adds);
        assertThat(outcomes.stream().filter("added"::equals).count(), is(8L));
        assertThat(outcomes.stream().filter(ErrorCode.GROUP_TOO_LARGE::equals).count(), is(16L));
        GroupStore.Group after = small.find(id).orElseThrow();
        assertThat(after.members().size(), is(10));
        assertThat(after.memberKeys().stream().distinct().count(), is(10L));
    }

    @Test
    void aLeaveConcurrentWithAnAddLosesNothing() throws Exception {
        String id = groups.create("alice", "Trip", List.of("bob", "carol"), 1).group().id();
        List<String> outcomes = runTogether(List.of(() -> attemptAdd(id, "alice", "dave"),
                                                    () -> {
                                                        groups.leave(id, "carol");
                                                        return "left";
                                                    }));
        assertThat(outcomes, containsInAnyOrder("added", "left"));
        assertThat(groups.find(id).orElseThrow().memberKeys(), containsInAnyOrder("alice", "bob", "dave"));
    }

    private String attemptAdd(String id, String actor, String user) {
        try {
            groups.add(id, actor, List.of(user), 2);
            return "added";
        } catch (ProtocolException e) {
            return e.code();
        }
    }

    private static List<String> runTogether(List<Callable<String>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> futures = new ArrayList<>();
            for (Callable<String> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<String> outcomes = new ArrayList<>();
            for (Future<String> future : futures) {
                outcomes.add(future.get());
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }
}
