package io.microchat.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BenchSettingsTest {

    @Test
    void withoutUrlsItStartsTheLocalStackAtTheIssuesTargets() {
        BenchSettings settings = BenchSettings.parse(new String[0]);
        assertThat(settings.targetsRunningServices(), is(false));
        assertThat(settings.authUrl(), is(nullValue()));
        assertThat(settings.connections(), is(5_000));
        assertThat("up to 10,000 cross-instance a second at 80 %", settings.rates(),
                   is(List.of(1_000, 2_500, 5_000, 7_500, 10_000, 12_500)));
    }

    @Test
    void runningServicesAreGivenByUrlEachChatInstanceOnItsOwn() {
        BenchSettings settings = BenchSettings.parse(new String[] {
                "--auth-url", "https://chat.example.com", "--chat-urls",
                "http://10.0.0.5:8082, http://10.0.0.6:8082/", "--server-pids", "101,102"});
        assertThat(settings.targetsRunningServices(), is(true));
        assertThat(settings.authUrl(), is("https://chat.example.com/"));
        assertThat(settings.chatUrls(), is(List.of("http://10.0.0.5:8082/", "http://10.0.0.6:8082/")));
        assertThat(settings.serverPids(), is(List.of(101L, 102L)));
    }

    @Test
    void badCommandLinesAreRefusedNamingTheOption() {
        assertRefused("go together", "--auth-url", "http://127.0.0.1:8081");
        assertRefused("go together", "--chat-urls", "http://127.0.0.1:8082");
        assertRefused("--chat-urls takes http(s)", "--auth-url", "http://a", "--chat-urls", "ftp://b");
        IllegalArgumentException credentials = assertThrows(IllegalArgumentException.class, () -> BenchSettings.parse(
                new String[] {"--auth-url", "http://user:secret@a", "--chat-urls", "http://b"}));
        assertThat(credentials.getMessage(), is("--auth-url must not carry credentials"));
        assertRefused("--auth-url takes http(s)", "--auth-url", "http://a?x=1", "--chat-urls", "http://b");
        assertRefused("--auth-url: 'http://a b' is not a URL", "--auth-url", "http://a b", "--chat-urls", "http://b");
        assertRefused("--server-pids is for running services", "--server-pids", "42");
        assertRefused("--server-pids takes positive", "--auth-url", "http://a", "--chat-urls", "http://b",
                      "--server-pids", "x");
        assertRefused("unknown option --user", "--user", "5");
        assertRefused("has no value", "--users");
        assertRefused("--users takes positive whole numbers, not '0'", "--users", "0");
        assertRefused("--rates takes positive whole numbers, not 'fast'", "--rates", "1000,fast");
        assertRefused("--cross-share must be between 0 and 1", "--cross-share", "1.5");
    }

    private static void assertRefused(String message, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchSettings.parse(args));
        assertThat(e.getMessage(), containsString(message));
    }
}
