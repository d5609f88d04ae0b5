package io.microchat.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.microchat.client.AuthClient;
import io.microchat.client.ChatClient;
import io.microchat.client.MessageLog;
import io.microchat.devstack.LocalStack;
import io.microchat.devstack.TemporaryDirectory;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * The Grafana dashboard and the Prometheus alerts of the Helm chart query only metrics the auth and chat services
 * really export: the real services, scraped after real traffic.
 */
class MetricsContractTest {

    @Test
    void everyChatAndAuthMetricTheChartQueriesIsExported() throws Exception {
        Path root = Path.of(System.getProperty("microchat.root", "..")).toAbsolutePath().normalize();
        String queries = Files.readString(root.resolve("charts/microchat/dashboards/microchat.json"))
                         + Files.readString(root.resolve("charts/microchat/files/prometheus-rules.yaml"));
        Set<String> queried = Pattern.compile("\\b((?:chat|auth)_[a-z_]+)\\b").matcher(queries).results()
                .map(m -> m.group(1)).collect(Collectors.toCollection(TreeSet::new));
        assertThat(queried.isEmpty(), is(false));

        try (TemporaryDirectory data = TemporaryDirectory.create("metrics-data");
             LocalStack stack = LocalStack.start(LocalStack.Settings.onFreePorts(root, data.path(), 2, System.out))) {
            AuthClient auth = new AuthClient(URI.create(stack.authUrl()));
            auth.register("metrics_a", "password-a1");
            auth.register("metrics_b", "password-b1");
            AuthClient.Token a = auth.login("metrics_a", "password-a1");
            AuthClient.Token b = auth.login("metrics_b", "password-b1");
            URI chat1 = URI.create(stack.chatUrls().get(0).replace("http://", "ws://") + "ws");
            URI chat2 = URI.create(stack.chatUrls().get(1).replace("http://", "ws://") + "ws");
            try (ChatClient ca = ChatClient.connect(chat1, a.username(), a.value(), new MessageLog());
                 ChatClient cb = ChatClient.connect(chat2, b.username(), b.value(), new MessageLog())) {
                ca.awaitWelcome(Duration.ofSeconds(10));
                cb.awaitWelcome(Duration.ofSeconds(10));
                ca.sendPrivate(b.username(), "counted").get(10, TimeUnit.SECONDS);
                cb.log().awaitCount(1, 10_000);
            }
            String exported = scrape(stack.authUrl()) + scrape(stack.chatUrls().get(0)) + scrape(stack.chatUrls().get(1));
            Set<String> missing = new TreeSet<>();
            for (String name : queried) {
                if (!Pattern.compile("(?m)^" + name + "[{ ]").matcher(exported).find()) {
                    missing.add(name);
                }
            }
            assertThat("queried by the chart but not exported", missing, is(empty()));
        }
    }

    private static String scrape(String base) throws Exception {
        String url = base.endsWith("/") ? base + "observe/metrics" : base + "/observe/metrics";
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                                               HttpResponse.BodyHandlers.ofString()).body();
    }
}
