package io.microchat.bench.idle;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live objects of a JVM by class, as {@code jcmd <pid> GC.class_histogram} prints them (which collects first, so
 * only what is reachable counts), and the difference between two of them.
 *
 * @param classes bytes and instances by class name
 */
public record ClassHistogram(Map<String, Row> classes) {

    /**
     * The collector's fillers of unused heap (the ends of allocation buffers, {@code jdk.internal.vm.FillerElement[]}
     * and {@code FillerObject}): not objects anyone holds, and different at every collection.
     */
    static final String FILLER = "jdk.internal.vm.Filler";
    /** {@code   12:          3000         192000  io.helidon.webserver.X (module)}, the module optional. */
    private static final Pattern ROW =
            Pattern.compile("^\\s*\\d+:\\s+(-?\\d+)\\s+(-?\\d+)\\s+(\\S+)(?:\\s+\\(.*\\))?\\s*$");

    /**
     * Instances and bytes of one class.
     *
     * @param instances how many
     * @param bytes     their shallow size together
     */
    public record Row(long instances, long bytes) {
    }

    /**
     * Reads the output of {@code GC.class_histogram} (or {@code jmap -histo}).
     *
     * @param text the output
     * @return the histogram
     */
    public static ClassHistogram parse(String text) {
        Map<String, Row> classes = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.matches() && !m.group(3).contains(FILLER)) {
                // a class loaded by two loaders has two rows
                classes.merge(m.group(3), new Row(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))),
                              (a, b) -> new Row(a.instances() + b.instances(), a.bytes() + b.bytes()));
            }
        }
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("not a class histogram: " + text.lines().findFirst().orElse(""));
        }
        return new ClassHistogram(Map.copyOf(classes));
    }

    /**
     * What this histogram holds more than an earlier one, by class (negative where it holds less).
     *
     * @param before the earlier histogram
     * @return the difference
     */
    public ClassHistogram minus(ClassHistogram before) {
        Map<String, Row> diff = new HashMap<>();
        classes.forEach((name, row) -> {
            Row old = before.classes.getOrDefault(name, new Row(0, 0));
            diff.put(name, new Row(row.instances() - old.instances(), row.bytes() - old.bytes()));
        });
        before.classes.forEach((name, row) -> diff.putIfAbsent(name, new Row(-row.instances(), -row.bytes())));
        return new ClassHistogram(Map.copyOf(diff));
    }

    /**
     * All bytes together.
     *
     * @return the bytes
     */
    public long totalBytes() {
        return classes.values().stream().mapToLong(Row::bytes).sum();
    }

    /**
     * Bytes by {@link Owner}, in the order of its constants.
     *
     * @return the bytes of each owner
     */
    public Map<Owner, Long> bytesByOwner() {
        Map<Owner, Long> result = new LinkedHashMap<>();
        for (Owner owner : Owner.values()) {
            result.put(owner, 0L);
        }
        classes.forEach((name, row) -> result.merge(Owner.of(name), row.bytes(), Long::sum));
        return result;
    }

    /**
     * The classes with the most bytes (by absolute value), largest first.
     *
     * @param limit how many
     * @return name and row of each
     */
    public List<Map.Entry<String, Row>> largest(int limit) {
        List<Map.Entry<String, Row>> rows = new ArrayList<>(classes.entrySet());
        rows.sort(Comparator.comparingLong((Map.Entry<String, Row> e) -> Math.abs(e.getValue().bytes())).reversed()
                          .thenComparing(Map.Entry::getKey));
        return rows.subList(0, Math.min(limit, rows.size()));
    }

    /**
     * Whose a class is, by its name. Types that anyone allocates ({@code byte[]}, {@code String}, collections) say
     * nothing about who holds them and count as {@link #JDK}; comparing with a bare Helidon endpoint measured the
     * same way tells Helidon's part of those.
     */
    public enum Owner {
        /** {@code io.microchat.*}. */
        MICROCHAT,
        /** {@code io.helidon.*}. */
        HELIDON,
        /** A virtual thread and its frozen stack (every connection has Helidon's reading thread). */
        THREAD,
        /** Sockets and selectors ({@code sun.nio.ch}, {@code java.net}). */
        SOCKET,
        /** Everything else: arrays, strings, collections, locks, futures, lambdas of JDK classes. */
        JDK;

        /**
         * The owner of a class.
         *
         * @param className the name as the histogram prints it
         * @return its owner
         */
        public static Owner of(String className) {
            String name = className.startsWith("[L") ? className.substring(2) : className;
            if (name.startsWith("io.microchat.")) {
                return MICROCHAT;
            }
            if (name.startsWith("io.helidon.")) {
                return HELIDON;
            }
            if (name.startsWith("java.lang.VirtualThread") || name.startsWith("jdk.internal.vm.")
                || name.startsWith("jdk.internal.misc.CarrierThread")) {
                return THREAD;
            }
            if (name.startsWith("sun.nio.ch.") || name.startsWith("java.net.")
                || name.startsWith("java.io.FileDescriptor")) {
                return SOCKET;
            }
            return JDK;
        }
    }
}
