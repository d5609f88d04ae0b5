package io.microchat.operator.dependent;

import java.util.Map;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.microchat.operator.Labels;
import io.microchat.operator.Names;
import io.microchat.operator.api.MicroChat;

/** The managed Redis's password, when the spec names no Secret of its own. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class RedisPasswordSecretDependentResource extends GeneratedSecretDependentResource {

    public static final String KEY = "password";

    @Override
    String name(MicroChat mc) {
        return Names.redisPassword(mc);
    }

    @Override
    String component() {
        return RedisDeploymentDependentResource.COMPONENT;
    }

    @Override
    Map<String, String> generate(MicroChat mc) {
        return Map.of(KEY, password(32));
    }
}
