package io.microchat.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Chat autoscaling. */
@ValidationRule(value = "!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas",
                message = "spec.chat.autoscaling.minReplicas must not exceed maxReplicas")
public class AutoscalingSpec {

    @JsonPropertyDescription("Whether a HorizontalPodAutoscaler scales the chat pods.")
    @Default("false")
    public boolean enabled;

    @JsonPropertyDescription("Fewest chat pods.")
    @Min(1)
    @Max(100)
    @Default("2")
    public int minReplicas = 2;

    @JsonPropertyDescription("Most chat pods; at least minReplicas.")
    @Min(1)
    @Max(100)
    @Default("10")
    public int maxReplicas = 10;

    @JsonPropertyDescription("Average CPU utilisation (percent of requests) the autoscaler aims for.")
    @Min(10)
    @Max(100)
    @Default("70")
    public int targetCPUUtilizationPercentage = 70;
}
