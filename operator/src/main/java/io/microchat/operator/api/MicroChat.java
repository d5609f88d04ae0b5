package io.microchat.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One MicroChat installation: auth, chat, their data stores and how they are reached.
 */
@Group("microchat.io")
@Version("v1alpha1")
@ShortNames("mc")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class MicroChat extends CustomResource<MicroChatSpec, MicroChatStatus> implements Namespaced {

    @Override
    protected MicroChatSpec initSpec() {
        return new MicroChatSpec();
    }

    @Override
    protected MicroChatStatus initStatus() {
        return new MicroChatStatus();
    }
}
