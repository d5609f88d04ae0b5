package io.microchat.chat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import io.helidon.webserver.staticcontent.StaticContentService;

/**
 * The browser app's files (the frontend jar's {@code web/}), served from memory. Left to itself, Helidon's
 * class-path handler copies every file it serves out of the jar into a temporary file that nobody deletes; the
 * app is a handful of small files, so they are read once at start-up instead, and an instance needs no writable
 * disk to serve them.
 */
final class WebAppFiles {

    static final String ROOT = "web";
    static final String WELCOME_FILE = "index.html";

    private WebAppFiles() {
    }

    /**
     * The static-content service for the app, with every file of it cached in memory.
     *
     * @param loader where the app's files are
     * @return the builder, ready to build
     */
    static StaticContentService.ClassPathBuilder staticContent(ClassLoader loader) {
        StaticContentService.ClassPathBuilder builder = StaticContentService.builder(ROOT, loader);
        builder.welcomeFileName(WELCOME_FILE);
        list(loader).forEach(builder::addCacheInMemory);
        return builder;
    }

    /**
     * The app's files, as paths under {@link #ROOT}, from a jar or from a directory of the class path.
     *
     * @param loader where the app's files are
     * @return the paths, sorted
     * @throws IllegalStateException when the app is not on the class path
     */
    static List<String> list(ClassLoader loader) {
        URL welcome = loader.getResource(ROOT + "/" + WELCOME_FILE);
        if (welcome == null) {
            throw new IllegalStateException("the browser app (" + ROOT + "/" + WELCOME_FILE
                                            + ") is not on the class path");
        }
        try {
            List<String> files = "jar".equals(welcome.getProtocol()) ? inJar(welcome) : inDirectory(welcome);
            Collections.sort(files);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the browser app's files", e);
        }
    }

    private static List<String> inJar(URL welcome) throws IOException {
        JarURLConnection connection = (JarURLConnection) welcome.openConnection();
        connection.setUseCaches(false);
        List<String> files = new ArrayList<>();
        try (JarFile jar = connection.getJarFile()) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                if (!entry.isDirectory() && name.startsWith(ROOT + "/")) {
                    files.add(name.substring(ROOT.length() + 1));
                }
            }
        }
        return files;
    }

    private static List<String> inDirectory(URL welcome) throws IOException {
        Path root;
        try {
            root = Path.of(welcome.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        try (Stream<Path> tree = Files.walk(root)) {
            return new ArrayList<>(tree.filter(Files::isRegularFile)
                                           .map(file -> root.relativize(file).toString().replace('\\', '/'))
                                           .toList());
        }
    }
}
