package io.microchat.operator.dependent;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.microchat.operator.Labels;
import io.microchat.operator.Names;
import io.microchat.operator.api.MicroChat;

/**
 * The Secret with the RSA key that signs access tokens. Created once and never updated: operator restarts and
 * re-reconciles keep the key, so tokens stay valid. Deleting the Secret by hand rotates it.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class SigningKeySecretDependentResource extends KubernetesDependentResource<Secret, MicroChat>
        implements Creator<Secret, MicroChat>, GarbageCollected<MicroChat> {

    public static final String KEY = "private.pem";

    public SigningKeySecretDependentResource() {
        super(Secret.class);
    }

    @Override
    protected Secret desired(MicroChat mc, Context<MicroChat> context) {
        return new SecretBuilder()
                .withMetadata(Labels.metadata(mc, Names.signingKey(mc), "auth"))
                .withType("Opaque")
                .addToStringData(KEY, newPrivateKeyPem())
                .build();
    }

    static String newPrivateKeyPem() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            byte[] der = generator.generateKeyPair().getPrivate().getEncoded();
            return "-----BEGIN PRIVATE KEY-----\n"
                   + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                   + "\n-----END PRIVATE KEY-----\n";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
