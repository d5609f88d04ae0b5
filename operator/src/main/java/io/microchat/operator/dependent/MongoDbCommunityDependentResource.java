package io.microchat.operator.dependent;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.microchat.operator.Labels;
import io.microchat.operator.MongoDbCommunity;
import io.microchat.operator.MongoDbCommunity.MongoDBCommunity;
import io.microchat.operator.api.MicroChat;

/**
 * The {@code MongoDBCommunity} that asks the MongoDB community operator for the database
 * ({@link MongoDbCommunity}). The kind exists only where that operator is installed, so the workflow activates this
 * dependent only there ({@link Conditions.MongoDbCommunityKindExists}). It is created and updated, never deleted by
 * this operator (it holds the data): only with the MicroChat, through its owner reference.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class MongoDbCommunityDependentResource extends KubernetesDependentResource<MongoDBCommunity, MicroChat>
        implements Creator<MongoDBCommunity, MicroChat>, Updater<MongoDBCommunity, MicroChat> {

    public MongoDbCommunityDependentResource() {
        super(MongoDBCommunity.class);
    }

    /**
     * The resource, owned by the MicroChat (although this operator never deletes it, it goes with the MicroChat).
     * The owner reference is set here because JOSDK sets one only on dependents it may delete.
     */
    @Override
    protected MongoDBCommunity desired(MicroChat mc, Context<MicroChat> context) {
        MongoDBCommunity resource = MongoDbCommunity.desired(mc);
        resource.addOwnerReference(mc);
        return resource;
    }
}
