package io.microchat.operator.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** The CRD generated from the Java classes: committed as is, and its schema accepts what it should. */
class CrdTest {

    static final Path ROOT = Path.of(System.getProperty("microchat.root", "..")).toAbsolutePath().normalize();
    static final Path GENERATED = Path.of("target/classes/META-INF/fabric8/microchats.microchat.io-v1.yml");
    static final Path COMMITTED = ROOT.resolve("k8s/crd/microchats.microchat.io-v1.yml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theCommittedCrdIsTheGeneratedOne() throws IOException {
        assertThat("k8s/crd/ is out of date: run `make crd` and commit it",
                   Files.readString(COMMITTED), is(Files.readString(GENERATED)));
    }

    @Test
    void scaleSubresourceAndPrinterColumns() throws IOException {
        JsonNode version = crd().at("/spec/versions/0");
        JsonNode scale = version.at("/subresources/scale");
        assertThat(scale.get("specReplicasPath").asText(), is(".spec.chat.replicas"));
        assertThat(scale.get("statusReplicasPath").asText(), is(".status.replicas"));
        assertThat(scale.get("labelSelectorPath").asText(), is(".status.selector"));
        assertThat(version.at("/subresources/status").isObject(), is(true));
        List<String> columns = version.get("additionalPrinterColumns").findValuesAsText("name");
        assertThat(columns, is(List.of("Age", "Desired", "Phase", "Ready", "URL")));
        assertThat(crd().at("/spec/names/shortNames/0").asText(), is("mc"));
    }

    static Stream<Path> samples() throws IOException {
        return Files.list(ROOT.resolve("k8s/samples")).filter(p -> p.toString().endsWith(".yaml")).sorted();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void theSamplesAreAccepted(Path sample) throws IOException {
        JsonNode resource = YAML.readTree(sample.toFile());
        assertThat(resource.get("apiVersion").asText(), is("microchat.io/v1alpha1"));
        assertThat(resource.get("kind").asText(), is("MicroChat"));
        assertThat(sample + " " + SchemaValidator.validate(schema(), resource.get("spec") == null
                ? YAML.createObjectNode() : specOf(resource)), SchemaValidator.validate(schema(), specOf(resource)),
                   is(empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "chat: {replicas: -1}",
            "chat: {replicas: 101}",
            "chat: {replicas: three}",
            "auth: {replicas: 0}",
            "chat: {autoscaling: {maxReplicas: 0}}",
            "chat: {autoscaling: {targetCPUUtilizationPercentage: 150}}",
            "redis: {mode: Sometimes}",
            "mongodb: {storageSize: lots}",
            "tokenLifetime: 1h",
            "ingress: {className: nginx}",
            "ingress: {host: 'Not A Host!'}",
            "redis: {externalUrlSecret: {name: x}}",
            "chat: {replica: 3}",
            "monitoring: {serviceMonitor: 'yes'}"})
    void nonsenseIsRejectedOnTheSpot(String spec) throws IOException {
        JsonNode resource = YAML.readTree("spec: {" + spec + "}");
        assertThat(spec, SchemaValidator.validate(schema(), specOf(resource)), not(empty()));
    }

    @Test
    void theSchemaDocumentsEveryField() throws IOException {
        List<String> undocumented = new java.util.ArrayList<>();
        collectUndocumented(schema(), "spec", undocumented);
        assertThat(undocumented, is(empty()));
        assertThat(schema().at("/properties/chat/properties/replicas/default").asInt(), is(2));
        assertThat(schema().at("/properties/redis/properties/mode/enum").findValuesAsText(""), not(hasItem("x")));
    }

    private static void collectUndocumented(JsonNode schema, String path, List<String> undocumented) {
        JsonNode properties = schema.get("properties");
        boolean kubernetesType = List.of(".resources", ".env", ".affinity", ".tolerations", ".topologySpreadConstraints",
                                         ".imagePullSecrets").stream().anyMatch(path::contains);
        if (properties == null || kubernetesType) {
            return;
        }
        properties.fields().forEachRemaining(field -> {
            if (!field.getValue().has("description")) {
                undocumented.add(path + "." + field.getKey());
            }
            collectUndocumented(field.getValue(), path + "." + field.getKey(), undocumented);
        });
    }

    private static JsonNode specOf(JsonNode resource) {
        return resource.has("spec") ? resource.get("spec") : YAML.createObjectNode();
    }

    static JsonNode crd() throws IOException {
        return YAML.readTree(GENERATED.toFile());
    }

    static JsonNode schema() throws IOException {
        return crd().at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
    }
}
