package io.microchat.auth;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(PasswordHasher.MIN_ITERATIONS);

    @Test
    void hashIsSaltedPbkdf2WithTheConfiguredIterations() {
        String first = hasher.hash("same password");
        String second = hasher.hash("same password");
        assertThat(first, startsWith("pbkdf2-sha256$600000$"));
        assertThat("a fresh salt each time", first, not(second));
        assertThat(hasher.matches("same password", first), is(true));
        assertThat(hasher.matches("same password", second), is(true));
    }

    @Test
    void wrongPasswordDoesNotMatch() {
        String hash = hasher.hash("right one");
        assertThat(hasher.matches("right onE", hash), is(false));
        assertThat(hasher.matches("", hash), is(false));
    }

    @Test
    void garbageHashNeverMatches() {
        assertThat(hasher.matches("anything", "md5$abc"), is(false));
    }

    @Test
    void fewerIterationsThanRecommendedAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(10_000));
    }
}
