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
 * The Secret with the RSA key that signs access tokens ({@code private.pem}). Created once; this dependent never
 * updates it (operator restarts and re-reconciles keep the key, so tokens stay valid). The operator rotates the key
 * in place, step by step ({@code SigningKeyRotation}): during a rotation the Secret also holds {@code next.pem} or
 * {@code previous.pem}, which auth publishes in its JWKS without signing with them.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class SigningKeySecretDependentResource extends KubernetesDependentResource<Secret, MicroChat>
        implements Creator<Secret, MicroChat>, GarbageCollected<MicroChat> {

    /** The key auth signs with. */
    public static final String KEY = "private.pem";
    /** During a rotation: the new key, published before it signs. */
    public static final String NEXT = "next.pem";
    /** During a rotation: the old key, published until every token it signed expired. */
    public static final String PREVIOUS = "previous.pem";
    /** The workflow's name for this dependent, and its informer's. */
    public static final String NAME = "signing-key";

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

    /**
     * A new 2048-bit RSA key, PKCS#8 PEM.
     *
     * @return the PEM text
     */
    public static String newPrivateKeyPem() {
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
