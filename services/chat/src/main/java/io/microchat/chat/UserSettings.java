package io.microchat.chat;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A user's settings (docs/protocol.md, "Settings"): {@code settings} changes them and every device of the user
 * hears the result; {@code welcome} carries them.
 */
final class UserSettings {

    private static final Logger LOGGER = Logger.getLogger(UserSettings.class.getName());

    /** Where settings are kept: {@link UserPreferences} (MongoDB) in a running instance. */
    interface Store {
        /**
         * A user's settings.
         *
         * @param userKey the user
         * @return the settings, the defaults when none were stored
         */
        UserPreferences.Settings settings(String userKey);

        /**
         * Changes a user's settings.
         *
         * @param userKey      the user
         * @param readReceipts the new value, or null to keep it
         * @param showLastSeen the new value, or null to keep it
         * @return the settings after the change
         */
        UserPreferences.Settings update(String userKey, Boolean readReceipts, Boolean showLastSeen);
    }

    private final Store store;
    private final Delivery delivery;

    /**
     * Settings.
     *
     * @param store    where they are kept
     * @param delivery how the result reaches the user's devices
     */
    UserSettings(Store store, Delivery delivery) {
        this.store = store;
        this.delivery = delivery;
    }

    /**
     * A user's settings for {@code welcome}; the defaults when they cannot be read now (the welcome must go out,
     * and the next {@code settings} frame says them as they are).
     *
     * @param userKey the user
     * @return the settings
     */
    UserPreferences.Settings of(String userKey) {
        try {
            return store.settings(userKey);
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "settings of " + userKey + " unreadable; welcome carries the defaults", e);
            return UserPreferences.Settings.DEFAULT;
        }
    }

    /**
     * Changes the user's settings; every device of the user, the sending one included, gets them as they now are.
     *
     * @param connection the user's connection
     * @param change     the command
     */
    void change(Connection connection, Command.ChangeSettings change) {
        UserPreferences.Settings now = store.update(connection.userKey(), change.readReceipts(),
                                                    change.showLastSeen());
        delivery.toUser(connection.userKey(), ServerFrames.settings(now));
    }
}
