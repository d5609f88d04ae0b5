package io.microchat.operator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What a MicroChat gets when its spec says nothing: the images of this operator's release
 * ({@code MICROCHAT_AUTH_IMAGE}, {@code MICROCHAT_CHAT_IMAGE} override them, as the Helm chart does).
 */
public final class OperatorDefaults {

    private static final String VERSION = readVersion();

    private OperatorDefaults() {
    }

    public static String version() {
        return VERSION;
    }

    public static String authImage() {
        return env("MICROCHAT_AUTH_IMAGE", "microchat/auth:" + VERSION);
    }

    public static String chatImage() {
        return env("MICROCHAT_CHAT_IMAGE", "microchat/chat:" + VERSION);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String readVersion() {
        try (InputStream in = OperatorDefaults.class.getResourceAsStream("/microchat-operator.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "dev");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
