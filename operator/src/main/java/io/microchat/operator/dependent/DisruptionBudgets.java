package io.microchat.operator.dependent;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.microchat.operator.Labels;
import io.microchat.operator.api.MicroChat;

/** PodDisruptionBudgets of MicroChat's components. */
final class DisruptionBudgets {

    private DisruptionBudgets() {
    }

    /**
     * Voluntary disruptions take at most one of the component's pods at a time.
     *
     * @param mc        the MicroChat
     * @param name      the budget's name
     * @param component the component whose pods it covers
     * @return the budget
     */
    static PodDisruptionBudget oneAtATime(MicroChat mc, String name, String component) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(Labels.metadata(mc, name, component))
                .withNewSpec()
                .withNewMaxUnavailable(1)
                .withNewSelector().withMatchLabels(Labels.selector(mc, component)).endSelector()
                .endSpec()
                .build();
    }
}
