package io.microchat.bench.soak;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SoakSettingsTest {

    @Test
    void theDefaultsAreWhatIssue13AsksOfMakeSoak() {
        SoakSettings settings = SoakSettings.parse(new String[0]);
        assertThat(settings.durationSeconds(), greaterThanOrEqualTo(600));
        assertThat(settings.users(), greaterThanOrEqualTo(200));
        // at least 20 kills: six of every nine chaos actions end an instance
        assertThat(settings.durationSeconds() / settings.chaosEverySeconds() * 6 / 9, greaterThanOrEqualTo(20));
    }

    @Test
    void optionsOverrideTheDefaults() {
        SoakSettings settings = SoakSettings.parse(new String[] {"--duration", "120", "--users", "50"});
        assertThat(settings.durationSeconds(), is(120));
        assertThat(settings.users(), is(50));
    }

    @Test
    void badOptionsAreNamed() {
        assertThat(assertThrows(IllegalArgumentException.class,
                                () -> SoakSettings.parse(new String[] {"--duration", "soon"})).getMessage(),
                   containsString("--duration"));
        assertThat(assertThrows(IllegalArgumentException.class,
                                () -> SoakSettings.parse(new String[] {"--kills", "20"})).getMessage(),
                   containsString("unknown option --kills"));
        assertThat(assertThrows(IllegalArgumentException.class,
                                () -> SoakSettings.parse(new String[] {"--users"})).getMessage(),
                   containsString("pairs"));
    }
}
