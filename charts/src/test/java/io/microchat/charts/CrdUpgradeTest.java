package io.microchat.charts;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * {@code helm upgrade} upgrades the CRD and leaves what an autoscaler chose alone. Helm renders a template the same
 * way for install and upgrade (no template here reads {@code .Release.IsUpgrade}), so the render is the upgrade's
 * render; that Helm then applies it to a live CRD is Helm's behaviour, which only a real cluster shows.
 */
class CrdUpgradeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String CRD = "microchats.microchat.io";

    @Test
    void theCrdIsATemplateNotInCrdsWhichHelmNeverUpgrades() {
        assertThat("Helm installs crds/ once and never upgrades it", Files.exists(ChartTest.CHART.resolve("crds")),
                   is(false));
    }

    @Test
    void everyInstallAndUpgradeAppliesTheGeneratedCrdAndUninstallKeepsIt() throws IOException {
        for (var command : List.of(ChartTest.template(), ChartTest.template().withValuesFile(ChartTest.EVERYTHING))) {
            CustomResourceDefinition crd = ChartTest.find(ChartTest.render(command), "CustomResourceDefinition", CRD);
            assertThat(crd.getMetadata().getAnnotations(), hasEntry("helm.sh/resource-policy", "keep"));
            assertThat(crd.getMetadata().getLabels(), hasEntry("app.kubernetes.io/managed-by", "Helm"));
            JsonNode generated = YAML.readTree(ChartTest.ROOT.resolve("k8s/crd/microchats.microchat.io-v1.yml").toFile());
            JsonNode expected = JSON.valueToTree(YAML.treeToValue(generated, CustomResourceDefinition.class).getSpec());
            JsonNode rendered = JSON.valueToTree(crd.getSpec());
            assertThat("the rendered CRD's spec is the generated one", rendered, is(expected));
            JsonNode spec = JSON.valueToTree(crd.getSpec()).at("/versions/0/schema/openAPIV3Schema/properties/spec");
            assertThat("a field this release added reaches the cluster", spec.at("/properties").has("imagePullSecrets"),
                       is(true));
        }
    }

    @Test
    void crdsCreateFalseLeavesTheCrdToSomeoneElse() {
        List<HasMetadata> objects = ChartTest.render(ChartTest.template().set("crds.create", false));
        assertThat(ChartTest.kinds(objects), not(hasItem("CustomResourceDefinition/" + CRD)));
    }

    @Test
    void withAutoscalingTheUpgradeDoesNotResetTheReplicasTheAutoscalerChose() {
        var autoscaled = ChartTest.template().set("instance.enabled", true)
                .set("instance.spec.chat.replicas", 4)
                .set("instance.spec.chat.autoscaling.enabled", true);
        JsonNode spec = spec(ChartTest.find(ChartTest.render(autoscaled), "MicroChat", "microchat"));
        assertThat("absent: an upgrade's patch leaves the live value the autoscaler set",
                   spec.at("/chat").has("replicas"), is(false));
        assertThat(spec.at("/chat/autoscaling/enabled").asBoolean(), is(true));

        var fixed = ChartTest.template().set("instance.enabled", true).set("instance.spec.chat.replicas", 4);
        assertThat("without an autoscaler the chart sets the count",
                   spec(ChartTest.find(ChartTest.render(fixed), "MicroChat", "microchat")).at("/chat/replicas").asInt(),
                   is(4));
    }

    private static JsonNode spec(GenericKubernetesResource microchat) {
        return JSON.valueToTree(microchat.getAdditionalProperties().get("spec"));
    }
}
