package io.microchat.operator.dependent;

import java.util.Map;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.microchat.operator.Labels;
import io.microchat.operator.Names;
import io.microchat.operator.api.MicroChat;

/**
 * Community-operator mode: the application user's password, which the MongoDB community operator reads to create
 * the user (it never sees a root password of ours; it manages its own).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class MongoDbCommunityPasswordSecretDependentResource extends GeneratedSecretDependentResource {

    public static final String KEY = "password";

    @Override
    String name(MicroChat mc) {
        return Names.mongodbCommunityPassword(mc);
    }

    @Override
    String component() {
        return MongoDbStatefulSetDependentResource.COMPONENT;
    }

    @Override
    Map<String, String> generate(MicroChat mc) {
        return Map.of(KEY, password(32));
    }
}
