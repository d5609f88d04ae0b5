package io.microchat.operator.dependent;

import java.util.Map;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.microchat.operator.Labels;
import io.microchat.operator.Names;
import io.microchat.operator.api.MicroChat;

/**
 * The managed MongoDB's SCRAM users: {@code root} (the image's entrypoint creates it on a member's first start;
 * only the operator uses it, to initiate and reconfigure the replica set and create the application user) and
 * {@code microchat} (role {@code readWrite} on the {@code microchat} database only, what the services use).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class MongoDbUsersSecretDependentResource extends GeneratedSecretDependentResource {

    public static final String ROOT_USERNAME = "root-username";
    public static final String ROOT_PASSWORD = "root-password";
    public static final String APP_USERNAME = "app-username";
    public static final String APP_PASSWORD = "app-password";
    public static final String APP_USER = "microchat";
    public static final String DATABASE = "microchat";

    @Override
    String name(MicroChat mc) {
        return Names.mongodbUsers(mc);
    }

    @Override
    String component() {
        return MongoDbStatefulSetDependentResource.COMPONENT;
    }

    @Override
    Map<String, String> generate(MicroChat mc) {
        return Map.of(ROOT_USERNAME, "root", ROOT_PASSWORD, password(32),
                      APP_USERNAME, APP_USER, APP_PASSWORD, password(32));
    }
}
