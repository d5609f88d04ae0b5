package io.microchat.chat;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * How much one instance holds for its clients, from {@code app.limits} (docs/protocol.md, "Limits"): the outbox
 * bytes per connection, per user and in total, and the bound of the send queue past which senders are told
 * {@code overloaded}.
 *
 * @param connectionOutboxBytes bytes one connection's outbox may hold before it is closed as too slow
 * @param userOutboxBytes       bytes one user's connections on an instance may hold together
 * @param instanceOutboxBytes   bytes all outboxes may hold before history and conversation requests wait
 * @param sendQueue             the bound of the queue of sends waiting to be stored
 * @param publishBacklog        publications waiting for Redis past which sends are refused too
 */
record LoadLimits(long connectionOutboxBytes, long userOutboxBytes, long instanceOutboxBytes, QueueBound sendQueue,
                  int publishBacklog) {

    static LoadLimits from(Config app) {
        Config limits = app.get("limits");
        return new LoadLimits(limits.get("outbox-bytes").asLong().orElse(2L << 20),
                              limits.get("user-outbox-bytes").asLong().orElse(8L << 20),
                              limits.get("instance-outbox-bytes").asLong().orElse(96L << 20),
                              new QueueBound(limits.get("send-queue").asInt().orElse(10_000),
                                             limits.get("send-queue-max-age").as(Duration.class)
                                                     .orElse(Duration.ofMillis(150)).toMillis()),
                              limits.get("publish-backlog").asInt().orElse(50_000));
    }

    OutboxBudgets budgets() {
        return new OutboxBudgets(connectionOutboxBytes, userOutboxBytes, instanceOutboxBytes);
    }
}
