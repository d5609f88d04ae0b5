package io.microchat.charts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.microchat.operator.OperatorDefaults;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.empty;

/**
 * One release, one tag everywhere: the parent POM's {@code microchat.release} is the tag JKube builds, the chart's
 * appVersion (so the chart's default images), the operator's default images, and every tag the README and the
 * samples show. The README's Kubernetes path goes in the order a user types it: build, push, install.
 */
class ReleaseVersionTest {

    static final String RELEASE = release();
    private static final Pattern IMAGE_TAG = Pattern.compile(
            "microchat/(?:auth|chat|operator|\\$image):([0-9A-Za-z][0-9A-Za-z._-]*)");

    static String release() {
        try {
            Matcher m = Pattern.compile("<microchat\\.release>([^<]+)</microchat\\.release>")
                    .matcher(Files.readString(ChartTest.ROOT.resolve("pom.xml")));
            assertThat("the parent POM defines microchat.release", m.find(), is(true));
            return m.group(1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theReleaseIsNotASnapshot() {
        assertThat("an image tag users pull", RELEASE.endsWith("-SNAPSHOT"), is(false));
    }

    @Test
    void theChartsAppVersionIsTheRelease() throws IOException {
        Matcher m = Pattern.compile("(?m)^appVersion:\\s*\"?([^\"\\s]+)\"?\\s*$")
                .matcher(Files.readString(ChartTest.CHART.resolve("Chart.yaml")));
        assertThat(m.find(), is(true));
        assertThat("Chart.yaml appVersion", m.group(1), is(RELEASE));
    }

    @Test
    void theOperatorDeploysTheReleasesImagesByDefault() {
        assertThat(OperatorDefaults.version(), is(RELEASE));
        assertThat(OperatorDefaults.release().authImage(), is("microchat/auth:" + RELEASE));
        assertThat(OperatorDefaults.release().chatImage(), is("microchat/chat:" + RELEASE));
    }

    @Test
    void everyTagInTheDocsSamplesAndManifestsIsTheRelease() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ChartTest.ROOT.resolve("README.md"),
                                                   ChartTest.CHART.resolve("README.md"),
                                                   ChartTest.ROOT.resolve("docs/operator.md")));
        for (String dir : List.of("k8s/samples", "k8s/operator")) {
            try (var list = Files.list(ChartTest.ROOT.resolve(dir))) {
                files.addAll(list.sorted().toList());
            }
        }
        List<String> tags = new ArrayList<>();
        for (Path file : files) {
            Matcher m = IMAGE_TAG.matcher(Files.readString(file));
            while (m.find()) {
                tags.add(ChartTest.ROOT.relativize(file) + ": " + m.group(1));
            }
        }
        assertThat(tags, not(empty()));
        assertThat(tags, everyItem(org.hamcrest.Matchers.endsWith(": " + RELEASE)));
    }

    @Test
    void theReadmesKubernetesPathBuildsPushesThenInstallsFromTheOwnRegistry() throws IOException {
        String readme = Files.readString(ChartTest.ROOT.resolve("README.md"));
        String path = readme.substring(readme.indexOf("## On Kubernetes"));
        int build = path.indexOf("make images REGISTRY=");
        int push = path.indexOf("docker push ");
        int secret = path.indexOf("create secret docker-registry");
        int install = path.indexOf("helm install");
        int registry = path.indexOf("--set images.registry=");
        int apply = path.indexOf("kubectl -n chat apply");
        assertThat("make images, then docker push", push, greaterThan(build));
        assertThat(build, greaterThan(0));
        assertThat("the pull secret before the install that uses it", install, greaterThan(secret));
        assertThat(secret, greaterThan(push));
        assertThat("images.registry on the helm install", registry, greaterThan(install));
        assertThat("the MicroChat after the operator", apply, greaterThan(registry));
    }
}
