package io.microchat.operator.dependent;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.microchat.operator.OperatorDefaults;
import io.microchat.operator.ServiceMonitors;
import io.microchat.operator.TestMicroChats;
import io.microchat.operator.api.MicroChat;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The operator's defaults are read once from an environment, and desired state is a function of the MicroChat and
 * those defaults: the same inputs give the same objects, whatever this JVM's environment holds.
 */
class OperatorDefaultsTest {

    private static final Map<String, String> ENVIRONMENT = Map.of(
            "MICROCHAT_AUTH_IMAGE", "registry.example.com/microchat/auth:9.9.9",
            "MICROCHAT_CHAT_IMAGE", "registry.example.com/microchat/chat:9.9.9",
            "MICROCHAT_IMAGE_PULL_SECRETS", " regcred , other ,",
            "MICROCHAT_SERVICE_MONITOR_LABELS", "release=prometheus, team = ops");

    private final MicroChat demo = TestMicroChats.minimal("demo", "chat");

    @Test
    void theEnvironmentSetsImagesPullSecretsAndServiceMonitorLabels() {
        OperatorDefaults defaults = OperatorDefaults.from(ENVIRONMENT);
        assertThat(defaults.authImage(), is("registry.example.com/microchat/auth:9.9.9"));
        assertThat(defaults.chatImage(), is("registry.example.com/microchat/chat:9.9.9"));
        assertThat(defaults.imagePullSecrets(), contains("regcred", "other"));
        assertThat(defaults.serviceMonitorLabels(), is(Map.of("release", "prometheus", "team", "ops")));
    }

    @Test
    void withNothingSetTheReleasesImagesAndNothingElse() {
        OperatorDefaults defaults = OperatorDefaults.from(Map.of("MICROCHAT_AUTH_IMAGE", " "));
        assertThat(defaults, is(OperatorDefaults.release()));
        assertThat(defaults.authImage(), is("microchat/auth:" + OperatorDefaults.version()));
        assertThat(defaults.chatImage(), is("microchat/chat:" + OperatorDefaults.version()));
        assertThat(defaults.imagePullSecrets(), is(empty()));
        assertThat(defaults.serviceMonitorLabels(), is(anEmptyMap()));
    }

    @Test
    void aLabelThatIsNoPairIsRefusedAtStart() {
        var e = assertThrows(IllegalArgumentException.class, () -> OperatorDefaults.from(
                Map.of("MICROCHAT_SERVICE_MONITOR_LABELS", "release=prometheus,oops")));
        assertThat(e.getMessage(), containsString("'oops'"));
    }

    @Test
    void desiredStateTakesTheDefaultsItIsGiven() {
        OperatorDefaults defaults = OperatorDefaults.from(ENVIRONMENT);
        var auth = new AuthDeploymentDependentResource().desired(demo, defaults).getSpec().getTemplate().getSpec();
        var chat = new ChatDeploymentDependentResource().desired(demo, defaults).getSpec().getTemplate().getSpec();
        var redis = new RedisDeploymentDependentResource().desired(demo, defaults).getSpec().getTemplate().getSpec();
        var mongodb = new MongoDbStatefulSetDependentResource().desired(demo, defaults).getSpec().getTemplate()
                .getSpec();
        assertThat(auth.getContainers().getFirst().getImage(), is(defaults.authImage()));
        assertThat(chat.getContainers().getFirst().getImage(), is(defaults.chatImage()));
        for (var pod : List.of(auth, chat, redis, mongodb)) {
            assertThat(pod.getImagePullSecrets(),
                       contains(new LocalObjectReference("regcred"), new LocalObjectReference("other")));
        }
        assertThat(ServiceMonitors.desired(demo, defaults.serviceMonitorLabels()).getMetadata().getLabels(),
                   hasEntry("release", "prometheus"));
        assertThat("the same inputs, the same object",
                   new ChatDeploymentDependentResource().desired(demo, defaults),
                   is(new ChatDeploymentDependentResource().desired(demo, defaults)));
        assertThat("other defaults, another object",
                   new ChatDeploymentDependentResource().desired(demo, OperatorDefaults.release()).getSpec()
                           .getTemplate().getSpec().getImagePullSecrets(), is(nullValue()));
    }
}
