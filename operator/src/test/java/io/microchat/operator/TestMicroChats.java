package io.microchat.operator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.microchat.operator.api.IngressSpec;
import io.microchat.operator.api.MicroChat;

/** MicroChat resources for tests. */
public final class TestMicroChats {

    private TestMicroChats() {
    }

    public static MicroChat minimal(String name, String namespace) {
        MicroChat mc = new MicroChat();
        mc.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).withGeneration(1L)
                               .withUid("uid-" + name).build());
        return mc;
    }

    public static MicroChat withIngress(String name, String namespace, String host, String tlsSecret) {
        MicroChat mc = minimal(name, namespace);
        mc.getSpec().ingress = new IngressSpec();
        mc.getSpec().ingress.host = host;
        mc.getSpec().ingress.tlsSecretName = tlsSecret;
        mc.getSpec().ingress.className = "nginx";
        return mc;
    }
}
