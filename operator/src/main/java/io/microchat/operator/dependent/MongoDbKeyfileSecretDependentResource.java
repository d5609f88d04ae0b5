package io.microchat.operator.dependent;

import java.util.Map;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.microchat.operator.Labels;
import io.microchat.operator.Names;
import io.microchat.operator.api.MicroChat;

/**
 * The keyfile the replica set's members authenticate each other with (internal authentication; it also turns on
 * access control): 756 characters of the base64 alphabet, as MongoDB's documentation generates it.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class MongoDbKeyfileSecretDependentResource extends GeneratedSecretDependentResource {

    public static final String KEY = "keyfile";

    @Override
    String name(MicroChat mc) {
        return Names.mongodbKeyfile(mc);
    }

    @Override
    String component() {
        return MongoDbStatefulSetDependentResource.COMPONENT;
    }

    @Override
    Map<String, String> generate(MicroChat mc) {
        return Map.of(KEY, password(756));
    }
}
