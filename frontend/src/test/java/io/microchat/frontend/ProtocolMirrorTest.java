package io.microchat.frontend;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.microchat.protocol.CloseCode;
import io.microchat.protocol.ErrorCode;
import io.microchat.protocol.Field;
import io.microchat.protocol.FrameType;
import io.microchat.protocol.Groups;
import io.microchat.protocol.ReconnectReason;
import io.microchat.protocol.Rooms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The browser app's {@code js/protocol.js} mirrors the Java vocabulary of {@code io.microchat.protocol}: for each
 * class an exported object of the same name, with every constant under the same name and value, and nothing more.
 */
class ProtocolMirrorTest {

    private static final Pattern OBJECT = Pattern.compile(
            "^export const (\\w+) = Object\\.freeze\\(\\{\\n(.*?)^\\}\\);", Pattern.MULTILINE | Pattern.DOTALL);
    /** An entry line: a name, a quoted string or an integer, perhaps a comment. */
    private static final Pattern ENTRY = Pattern.compile("\\s+(\\w+): (?:'([^']*)'|(\\d+)),(?:\\s+//.*)?");
    private static final Map<String, Map<String, Object>> MIRROR = parse(read("web/js/protocol.js"));

    @Test
    void exportsOneObjectForEachClassOfTheVocabulary() {
        assertThat(MIRROR.keySet(), containsInAnyOrder(FrameType.class.getSimpleName(), Field.class.getSimpleName(),
                                                       ErrorCode.class.getSimpleName(), CloseCode.class.getSimpleName(),
                                                       Rooms.class.getSimpleName(), Groups.class.getSimpleName(),
                                                       ReconnectReason.class.getSimpleName()));
    }

    @ParameterizedTest
    @ValueSource(classes = {FrameType.class, Field.class, ErrorCode.class, CloseCode.class, Rooms.class,
                            Groups.class, ReconnectReason.class})
    void holdsEveryConstantOfTheJavaClassWithItsValueAndNothingElse(Class<?> vocabulary) {
        Map<String, Object> java = constants(vocabulary);
        assertThat(java, is(not(anEmptyMap())));
        assertThat("js/protocol.js " + vocabulary.getSimpleName(), MIRROR.get(vocabulary.getSimpleName()), is(java));
    }

    /** The public static final fields of a class, by name: strings, and ints boxed (as the mirror parses them). */
    private static Map<String, Object> constants(Class<?> vocabulary) {
        Map<String, Object> constants = new TreeMap<>();
        for (java.lang.reflect.Field field : vocabulary.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers)) {
                try {
                    constants.put(field.getName(), field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return constants;
    }

    /**
     * The exported frozen objects of the module: name to entries, strings and integers. Every line of an object is
     * an entry, a comment or blank, so that nothing is skipped unread.
     */
    private static Map<String, Map<String, Object>> parse(String module) {
        Map<String, Map<String, Object>> objects = new TreeMap<>();
        Matcher object = OBJECT.matcher(module);
        while (object.find()) {
            Map<String, Object> entries = new TreeMap<>();
            for (String line : object.group(2).split("\n")) {
                Matcher entry = ENTRY.matcher(line);
                if (entry.matches()) {
                    Object value = entry.group(2) != null ? entry.group(2) : Integer.valueOf(entry.group(3));
                    if (entries.put(entry.group(1), value) != null) {
                        throw new IllegalStateException(object.group(1) + "." + entry.group(1) + " twice");
                    }
                } else if (!line.isBlank() && !line.strip().startsWith("//")) {
                    throw new IllegalStateException("not an entry of " + object.group(1) + ": " + line);
                }
            }
            objects.put(object.group(1), entries);
        }
        return objects;
    }

    private static String read(String resource) {
        try (InputStream in = ProtocolMirrorTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
