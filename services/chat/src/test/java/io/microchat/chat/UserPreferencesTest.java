package io.microchat.chat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Settings and last seen (mongo-java-server behind the real driver). */
class UserPreferencesTest {

    private final StoreTestDb store = new StoreTestDb();
    private final UserPreferences preferences = new UserPreferences(store.db);

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void settingsDefaultToOnAndChangeOneAtATime() {
        assertThat(preferences.settings("alice"), is(UserPreferences.Settings.DEFAULT));
        assertThat(preferences.update("alice", false, null), is(new UserPreferences.Settings(false, true)));
        assertThat(preferences.update("alice", null, false), is(new UserPreferences.Settings(false, false)));
        assertThat(preferences.update("alice", true, null), is(new UserPreferences.Settings(true, false)));
        assertThat(preferences.settings("alice"), is(new UserPreferences.Settings(true, false)));
        assertThat(preferences.settings(List.of("alice", "bob")),
                   is(Map.of("alice", new UserPreferences.Settings(true, false),
                             "bob", UserPreferences.Settings.DEFAULT)));
    }

    @Test
    void lastSeenKeepsTheLatestAndIsHiddenByItsOwner() {
        preferences.recordLastSeen("alice", 2_000);
        preferences.recordLastSeen("alice", 1_000);
        preferences.recordLastSeen("bob", 3_000);
        preferences.update("carol", null, false);
        preferences.recordLastSeen("carol", 4_000);
        assertThat(preferences.visibleLastSeen(List.of("alice", "bob", "carol", "dave")),
                   is(Map.of("alice", 2_000L, "bob", 3_000L)));
        assertThat(preferences.settings("alice"), is(UserPreferences.Settings.DEFAULT));
        preferences.update("carol", null, true);
        assertThat(preferences.visibleLastSeen(List.of("carol")), is(Map.of("carol", 4_000L)));

        preferences.recordLastSeen(List.of("alice", "bob", "erin"), 2_500);
        assertThat("several at once, the latest kept", preferences.visibleLastSeen(List.of("alice", "bob", "erin")),
                   is(Map.of("alice", 2_500L, "bob", 3_000L, "erin", 2_500L)));
    }
}
