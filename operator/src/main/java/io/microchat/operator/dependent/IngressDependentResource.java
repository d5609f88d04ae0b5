package io.microchat.operator.dependent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.microchat.operator.Labels;
import io.microchat.operator.Names;
import io.microchat.operator.api.IngressSpec;
import io.microchat.operator.api.MicroChat;

/**
 * The app, the auth API and the WebSocket on one host (and any extra hosts): {@code /api/auth} to auth;
 * {@code /ws}, {@code /api/chat} and the app's files ({@code /}, {@code /index.html}, {@code /css/}, {@code /js/})
 * to chat. Nothing else is routed: the chat pods' {@code /observe} (health details, metrics) stays inside the
 * cluster, for probes and Prometheus. WebSockets live for hours, so the proxy timeouts are long (annotations for
 * ingress-nginx; other controllers ignore them; {@code spec.ingress.annotations} adds to them and wins).
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
        Map<String, String> annotations = new TreeMap<>(WEBSOCKET_ANNOTATIONS);
        if (spec.annotations != null) {
            annotations.putAll(spec.annotations);
        }
        List<String> hosts = hosts(spec);
        IngressBuilder ingress = new IngressBuilder()
                .withNewMetadata()
                .withName(Names.ingress(mc))
                .withNamespace(mc.getMetadata().getNamespace())
                .withLabels(Labels.of(mc, "ingress"))
                .withAnnotations(annotations)
                .withOwnerReferences(Labels.owner(mc))
                .endMetadata()
                .withNewSpec()
                .withIngressClassName(spec.className)
                .withRules(hosts.stream().map(host -> new IngressRuleBuilder().withHost(host).withNewHttp()
                        .withPaths(paths(mc)).endHttp().build()).toList())
                .endSpec();
        if (spec.tlsSecretName != null) {
            ingress.editSpec().addNewTl().withHosts(hosts).withSecretName(spec.tlsSecretName).endTl().endSpec();
        }
        return ingress.build();
    }

    /**
     * The host and the extra hosts.
     *
     * @param spec the ingress spec
     * @return the hosts, the main one first
     */
    public static List<String> hosts(IngressSpec spec) {
        List<String> hosts = new ArrayList<>(List.of(spec.host));
        if (spec.extraHosts != null) {
            spec.extraHosts.stream().filter(h -> !hosts.contains(h)).forEach(hosts::add);
        }
        return hosts;
    }

    private static List<HTTPIngressPath> paths(MicroChat mc) {
        String auth = Names.auth(mc);
        String chat = Names.chat(mc);
        int chatPort = ChatDeploymentDependentResource.PORT;
        return List.of(path("/api/auth", "Prefix", auth, AuthDeploymentDependentResource.PORT),
                       path("/ws", "Exact", chat, chatPort),
                       path("/api/chat", "Prefix", chat, chatPort),
                       path("/", "Exact", chat, chatPort),
                       path("/index.html", "Exact", chat, chatPort),
                       path("/css", "Prefix", chat, chatPort),
                       path("/js", "Prefix", chat, chatPort));
    }

    private static HTTPIngressPath path(String path, String type, String service, int port) {
        return new HTTPIngressPathBuilder()
                .withPath(path)
                .withPathType(type)
                .withNewBackend().withNewService().withName(service).withNewPort().withNumber(port).endPort()
                .endService().endBackend()
                .build();
    }
}
