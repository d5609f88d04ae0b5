package io.microchat.operator.dependent;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.microchat.operator.DataStores;
import io.microchat.operator.Labels;
import io.microchat.operator.Names;
import io.microchat.operator.OperatorDefaults;
import io.microchat.operator.Workloads;
import io.microchat.operator.api.MicroChat;

/** The auth service's Deployment. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class AuthDeploymentDependentResource extends CRUDKubernetesDependentResource<Deployment, MicroChat> {

    public static final String COMPONENT = "auth";
    public static final int PORT = 8081;
    static final String KEY_DIR = "/etc/microchat/jwt";

    public AuthDeploymentDependentResource() {
        super(Deployment.class);
    }

    @Override
    protected Deployment desired(MicroChat mc, Context<MicroChat> context) {
        var spec = mc.getSpec().auth;
        List<EnvVar> env = environment(mc);
        String image = spec.image != null ? spec.image : OperatorDefaults.authImage();
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
        return Workloads.deployment(mc, Names.auth(mc), COMPONENT, spec.replicas, pod, spec.placement);
    }

    /**
     * The auth container's environment: what the operator sets, then the spec's own variables.
     *
     * @param mc the MicroChat
     * @return the variables
     */
    public static List<EnvVar> environment(MicroChat mc) {
        List<EnvVar> env = new ArrayList<>(List.of(
                Workloads.env("PORT", String.valueOf(PORT)),
                DataStores.mongoUri(mc),
                Workloads.env("JWT_PRIVATE_KEY_FILE", KEY_DIR + "/" + SigningKeySecretDependentResource.KEY),
                Workloads.env("APP_JWT_LIFETIME", mc.getSpec().tokenLifetime)));
        env.addAll(mc.getSpec().auth.env);
        return env;
    }
}
