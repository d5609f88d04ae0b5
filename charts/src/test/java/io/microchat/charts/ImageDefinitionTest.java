package io.microchat.charts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

/**
 * The container images, as far as they can be checked without a Docker daemon: the image definition in the
 * parent POM, and the Kubernetes resources JKube derives from it during the build ({@code k8s:resource}).
 */
class ImageDefinitionTest {

    private static final String VERSION = ReleaseVersionTest.RELEASE;

    @ParameterizedTest
    @CsvSource({
            "services/auth, microchat-auth, auth, 8081, /observe/health/live",
            "services/chat, microchat-chat, chat, 8082, /observe/health/live",
            "operator, microchat-operator, operator, 8080, /healthz"})
    void jkubeDerivesTheRightContainer(String module, String artifact, String component, int port, String health)
            throws IOException {
        Path generated = ChartTest.ROOT.resolve(module).resolve("target/classes/META-INF/jkube/kubernetes")
                .resolve(artifact + "-deployment.yml");
        Deployment deployment;
        try (InputStream in = Files.newInputStream(generated)) {
            deployment = Serialization.unmarshal(in, Deployment.class);
        }
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(container.getImage(), is("microchat/" + component + ":" + VERSION));
        assertThat(container.getPorts().getFirst().getContainerPort(), is(port));
        assertThat("the image's health check", container.getLivenessProbe().getExec().getCommand(),
                   hasItem("http://127.0.0.1:" + port + health));
        assertThat(container.getSecurityContext().getRunAsNonRoot(), is(true));
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation(), is(false));
    }

    @Test
    void theImageIsASmallJreRunAsNonRootWithContainerAwareMemory() throws IOException {
        String pom = Files.readString(ChartTest.ROOT.resolve("pom.xml"));
        assertThat(pom, containsString("<image.base>eclipse-temurin:21-jre-alpine</image.base>"));
        assertThat(pom, containsString("<image.user>185</image.user>"));
        assertThat(pom, containsString("<user>${image.user}:${image.user}</user>"));
        assertThat(pom, containsString("-XX:MaxRAMPercentage=75.0"));
        assertThat(pom, containsString("<healthCheck>"));
        assertThat("the operator's pods run as the image's user", Files.readString(
                ChartTest.ROOT.resolve("charts/microchat/templates/operator/deployment.yaml")), containsString("runAsUser: 185"));
    }
}
