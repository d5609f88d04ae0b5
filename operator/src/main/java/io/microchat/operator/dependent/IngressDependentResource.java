package io.microchat.operator.dependent;

import java.util.Map;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.microchat.operator.Labels;
import io.microchat.operator.Names;
import io.microchat.operator.api.MicroChat;

/**
 * One host for everything: {@code /api/auth} to auth; {@code /ws}, {@code /api/chat} and the app at {@code /} to
 * chat. WebSockets live for hours, so the proxy timeouts are long (annotations for ingress-nginx; other
 * controllers ignore them).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class IngressDependentResource extends CRUDKubernetesDependentResource<Ingress, MicroChat> {

    static final Map<String, String> WEBSOCKET_ANNOTATIONS = Map.of(
            "nginx.ingress.kubernetes.io/proxy-read-timeout", "3600",
            "nginx.ingress.kubernetes.io/proxy-send-timeout", "3600",
            "nginx.ingress.kubernetes.io/proxy-body-size", "1m");

    public IngressDependentResource() {
        super(Ingress.class);
    }

    @Override
    protected Ingress desired(MicroChat mc, Context<MicroChat> context) {
        var spec = mc.getSpec().ingress;
        IngressBuilder ingress = new IngressBuilder()
                .withNewMetadata()
                .withName(Names.ingress(mc))
                .withNamespace(mc.getMetadata().getNamespace())
                .withLabels(Labels.of(mc, "ingress"))
                .withAnnotations(WEBSOCKET_ANNOTATIONS)
                .endMetadata()
                .withNewSpec()
                .withIngressClassName(spec.className)
                .addNewRule()
                .withHost(spec.host)
                .withNewHttp()
                .withPaths(path("/api/auth", Names.auth(mc), AuthDeploymentDependentResource.PORT),
                           path("/ws", Names.chat(mc), ChatDeploymentDependentResource.PORT),
                           path("/api/chat", Names.chat(mc), ChatDeploymentDependentResource.PORT),
                           path("/", Names.chat(mc), ChatDeploymentDependentResource.PORT))
                .endHttp()
                .endRule()
                .endSpec();
        if (spec.tlsSecretName != null) {
            ingress.editSpec().addNewTl().withHosts(spec.host).withSecretName(spec.tlsSecretName).endTl().endSpec();
        }
        return ingress.build();
    }

    private static HTTPIngressPath path(String path, String service, int port) {
        return new HTTPIngressPathBuilder()
                .withPath(path)
                .withPathType("Prefix")
                .withNewBackend().withNewService().withName(service).withNewPort().withNumber(port).endPort()
                .endService().endBackend()
                .build();
    }
}
