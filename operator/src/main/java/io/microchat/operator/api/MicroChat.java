package io.microchat.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
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
@ValidationRule(value = "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
                message = "metadata.name must start with a letter and hold only lower-case letters, digits and '-' "
                          + "(it names the MicroChat's Services)")
@ValidationRule(value = "size(self.metadata.name) <= " + MicroChat.MAX_NAME,
                message = "metadata.name must be at most 44 characters (<name>-mongodb names a StatefulSet, whose "
                          + "pods carry it with a revision hash in a 63-character label)")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class MicroChat extends CustomResource<MicroChatSpec, MicroChatStatus> implements Namespaced {

    /**
     * The longest name a MicroChat may have: {@code <name>-mongodb} names a StatefulSet, and its pods carry
     * {@code controller-revision-hash: <statefulset>-<hash of up to 10>} in a label of at most 63 characters:
     * 63 - 10 - 1 - 8.
     */
    public static final int MAX_NAME = 44;

    @Override
    protected MicroChatSpec initSpec() {
        return new MicroChatSpec();
    }

    @Override
    protected MicroChatStatus initStatus() {
        return new MicroChatStatus();
    }
}
