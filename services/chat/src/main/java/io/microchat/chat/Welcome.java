package io.microchat.chat;

import io.microchat.common.AuthenticatedUser;

/**
 * What {@code welcome} tells a connection that authenticated (docs/protocol.md, "Connecting and authenticating"):
 * who it is, the instance, who is online, the limits that apply (the edit window among them) and the user's
 * settings.
 */
final class Welcome {

    private final ChatSettings settings;
    private final OnlineUsers presence;
    private final UserSettings userSettings;

    /**
     * Welcomes.
     *
     * @param settings     the instance's settings (its id and limits)
     * @param presence     who is online
     * @param userSettings the users' own settings
     */
    Welcome(ChatSettings settings, OnlineUsers presence, UserSettings userSettings) {
        this.settings = settings;
        this.presence = presence;
        this.userSettings = userSettings;
    }

    /**
     * The {@code welcome} frame of a user who just authenticated.
     *
     * @param user    the user
     * @param userKey the user's key
     * @return the frame
     */
    String frame(AuthenticatedUser user, String userKey) {
        ChatSettings.Limits limits = settings.limits();
        return ServerFrames.welcome(user.userId(), user.username(), settings.instanceId(), presence.online(),
                                    limits.maxTextLength(), limits.messagesPerSecond(), limits.burst(),
                                    settings.messages().editWindow().toMillis(), userSettings.of(userKey));
    }
}
