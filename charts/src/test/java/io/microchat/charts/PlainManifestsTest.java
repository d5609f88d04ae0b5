package io.microchat.charts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * {@code kubectl apply -f k8s/operator/} installs the same operator as {@code helm install} with default values:
 * the files are the chart's default render without Helm's own labels. {@code make manifests} writes them anew.
 */
class PlainManifestsTest {

    static final Path OPERATOR = ChartTest.ROOT.resolve("k8s/operator");
    static final Map<String, List<String>> FILES = Map.of(
            "01-rbac.yaml", List.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"),
            "02-deployment.yaml", List.of("NetworkPolicy", "Service", "Deployment"));
    private static final String HEADER = "# Generated from charts/microchat with default values (make manifests); "
                                         + "do not edit by hand.\n";

    @Test
    void theManifestsAreTheChartsDefaults() throws IOException {
        List<HasMetadata> rendered = ChartTest.render(ChartTest.template());
        rendered.forEach(PlainManifestsTest::dropHelmLabels);
        for (var file : FILES.entrySet()) {
            String expected = HEADER + rendered.stream().filter(o -> file.getValue().contains(o.getKind()))
                    .map(Serialization::asYaml).collect(Collectors.joining());
            Path path = OPERATOR.resolve(file.getKey());
            if (Boolean.getBoolean("microchat.updateManifests")) {
                Files.writeString(path, expected);
            }
            assertThat(path + " differs from the chart: run `make manifests`", Files.readString(path), is(expected));
        }
    }

    @Test
    void everyPlainManifestParses() throws IOException {
        List<String> kinds = new ArrayList<>();
        try (var files = Files.list(OPERATOR)) {
            for (Path path : files.sorted().toList()) {
                try (InputStream in = Files.newInputStream(path)) {
                    Object parsed = Serialization.unmarshal(in);
                    if (parsed instanceof List<?> list) {
                        list.forEach(o -> kinds.add(((HasMetadata) o).getKind()));
                    } else {
                        kinds.add(((HasMetadata) parsed).getKind());
                    }
                }
            }
        }
        assertThat(kinds, is(List.of("Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
                                     "RoleBinding", "NetworkPolicy", "Service", "Deployment")));
    }

    private static void dropHelmLabels(HasMetadata object) {
        object.getMetadata().getLabels().remove("helm.sh/chart");
        object.getMetadata().getLabels().put("app.kubernetes.io/managed-by", "kubectl");
    }
}
