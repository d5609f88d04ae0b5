package io.microchat.operator.dependent;

import java.security.SecureRandom;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.microchat.operator.Labels;
import io.microchat.operator.api.MicroChat;

/**
 * A Secret whose content the operator generates once: created when missing, never updated (an operator restart or
 * a re-reconcile generates nothing new, so passwords and keys stay what the pods use), deleted with the MicroChat.
 * Its values are never logged.
 */
abstract class GeneratedSecretDependentResource extends KubernetesDependentResource<Secret, MicroChat>
        implements Creator<Secret, MicroChat>, GarbageCollected<MicroChat> {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    GeneratedSecretDependentResource() {
        super(Secret.class);
    }

    /** The Secret's name. */
    abstract String name(MicroChat mc);

    /** The component it belongs to. */
    abstract String component();

    /** Fresh content; called only when the Secret is created. */
    abstract Map<String, String> generate(MicroChat mc);

    @Override
    protected Secret desired(MicroChat mc, Context<MicroChat> context) {
        return new SecretBuilder()
                .withMetadata(Labels.metadata(mc, name(mc), component()))
                .withType("Opaque")
                .withStringData(generate(mc))
                .build();
    }

    /**
     * A random password of letters and digits, safe in a URL without escaping.
     *
     * @param length its length
     * @return the password
     */
    static String password(int length) {
        StringBuilder password = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            password.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return password.toString();
    }
}
