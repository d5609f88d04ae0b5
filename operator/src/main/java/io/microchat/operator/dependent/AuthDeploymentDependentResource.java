package io.microchat.operator.dependent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.microchat.operator.DataStores;
import io.microchat.operator.Labels;
import io.microchat.operator.Names;
import io.microchat.operator.OperatorDefaults;
import io.microchat.operator.SecretValues;
import io.microchat.operator.Workloads;
import io.microchat.operator.api.MicroChat;

/** The auth service's Deployment. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class AuthDeploymentDependentResource extends CRUDKubernetesDependentResource<Deployment, MicroChat> {

    public static final String COMPONENT = "auth";
    public static final int PORT = 8081;
    static final String KEY_DIR = "/etc/microchat/jwt";
    /**
     * On the pod template: a digest of the signing-key Secret, so that auth rolls (one new pod at a time, none
     * missing) when a rotation changes the Secret; auth reads every key of it at start.
     */
    public static final String SIGNING_KEYS_CHECKSUM = "microchat.io/signing-keys-checksum";

    public AuthDeploymentDependentResource() {
        super(Deployment.class);
    }

    @Override
    protected Deployment desired(MicroChat mc, Context<MicroChat> context) {
        return deployment(mc, OperatorDefaults.of(context), signingKeys(mc, context));
    }

    /**
     * The Deployment before its signing-key Secret exists.
     *
     * @param mc       the MicroChat
     * @param defaults the operator's defaults
     * @return the Deployment
     */
    Deployment desired(MicroChat mc, OperatorDefaults defaults) {
        return deployment(mc, defaults, Optional.empty());
    }

    /**
     * The Deployment, its pod template marked with the signing keys' checksum.
     *
     * @param mc          the MicroChat
     * @param defaults    the operator's defaults
     * @param signingKeys the signing-key Secret, when it exists
     * @return the Deployment
     */
    static Deployment deployment(MicroChat mc, OperatorDefaults defaults, Optional<Secret> signingKeys) {
        var spec = mc.getSpec().auth;
        List<EnvVar> env = environment(mc);
        String image = spec.image != null ? spec.image : defaults.authImage();
        PodSpec pod = new PodSpecBuilder()
                .withAutomountServiceAccountToken(false)
                .withSecurityContext(Workloads.restrictedPod(Workloads.SERVICE_USER))
                .withContainers(Workloads.serviceContainer(COMPONENT, image, PORT, env, spec.resources,
                                                           List.of(Workloads.mount("signing-key", KEY_DIR, true))))
                .addToVolumes(Workloads.emptyDir("tmp"))
                .addNewVolume().withName("signing-key")
                .withNewSecret().withSecretName(Names.signingKey(mc)).withDefaultMode(0440).endSecret()
                .endVolume()
                .build();
        Deployment deployment = Workloads.deployment(mc, Names.auth(mc), COMPONENT, spec.replicas, pod,
                                                     spec.placement, defaults);
        signingKeys.ifPresent(secret -> {
            var template = deployment.getSpec().getTemplate().getMetadata();
            Map<String, String> annotations = new LinkedHashMap<>(
                    template.getAnnotations() == null ? Map.of() : template.getAnnotations());
            annotations.put(SIGNING_KEYS_CHECKSUM, SecretValues.checksum(secret));
            template.setAnnotations(annotations);
        });
        return deployment;
    }

    /**
     * The auth container's environment: what the operator sets, then the spec's own variables (which win, being
     * later). Redis as chat reaches it, since auth announces ended sessions there; behind the Ingress, one trusted
     * proxy hop, so the login throttle counts the client's address from {@code X-Forwarded-For} rather than the
     * ingress controller's, and the refresh cookie is {@code Secure} when {@code X-Forwarded-Proto} says https.
     *
     * @param mc the MicroChat
     * @return the variables
     */
    public static List<EnvVar> environment(MicroChat mc) {
        List<EnvVar> env = new ArrayList<>(List.of(
                Workloads.env("PORT", String.valueOf(PORT)),
                Workloads.env("JWT_PRIVATE_KEY_FILE", KEY_DIR + "/" + SigningKeySecretDependentResource.KEY),
                Workloads.env("APP_JWT_LIFETIME", mc.getSpec().tokenLifetime)));
        env.addAll(DataStores.mongoEnv(mc));
        env.addAll(DataStores.redisEnv(mc));
        if (mc.getSpec().ingress != null && mc.getSpec().ingress.host != null) {
            env.add(Workloads.env("APP_PROXY_HOPS", "1"));
        }
        env.addAll(mc.getSpec().auth.env);
        return env;
    }

    /**
     * The signing-key Secret as its dependent's informer last saw it.
     *
     * @param mc      the MicroChat
     * @param context the reconcile's context
     * @return the Secret, when it exists
     */
    public static Optional<Secret> signingKeys(MicroChat mc, Context<MicroChat> context) {
        var source = (InformerEventSource<Secret, MicroChat>) context.eventSourceRetriever()
                .getEventSourceFor(Secret.class, SigningKeySecretDependentResource.NAME);
        return source.get(new ResourceID(Names.signingKey(mc), mc.getMetadata().getNamespace()));
    }
}
