package io.microchat.chat;

import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import io.helidon.webserver.WebServer;
import io.microchat.devstack.TemporaryDirectory;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WebAppFilesTest {

    private static final ClassLoader LOADER = WebAppFilesTest.class.getClassLoader();

    @Test
    void listsTheFrontendsFilesFromTheClassPath() {
        List<String> files = WebAppFiles.list(LOADER);
        assertThat(files, hasItems("index.html", "css/app.css", "js/main.js", "js/chat-connection.js"));
        assertThat(files.stream().noneMatch(f -> f.startsWith("/") || f.endsWith("/")), is(true));
    }

    @Test
    void listsTheFilesOfAJarAndNothingOutsideItsWebDirectory() throws Exception {
        try (TemporaryDirectory dir = TemporaryDirectory.create("web-app-files-test")) {
            Path jar = dir.path().resolve("app.jar");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                for (String name : List.of("web/", "web/index.html", "web/js/", "web/js/a.js", "other/b.txt",
                                           "webx/c.txt")) {
                    out.putNextEntry(new JarEntry(name));
                    if (!name.endsWith("/")) {
                        out.write(name.getBytes(StandardCharsets.UTF_8));
                    }
                    out.closeEntry();
                }
            }
            try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
                assertThat(WebAppFiles.list(loader), is(List.of("index.html", "js/a.js")));
            }
        }
    }

    @Test
    void withoutTheFrontendStartingFailsWithAClearMessage() throws Exception {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> WebAppFiles.list(empty));
            assertThat(e.getMessage(), containsString("web/index.html"));
        }
    }

    @Test
    void servesEveryFileFromMemoryAndWritesNoTemporaryFile() throws Exception {
        try (TemporaryDirectory tmp = TemporaryDirectory.create("web-app-files-test")) {
            WebServer server = WebServer.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .routing(r -> r.register("/", WebAppFiles.staticContent(LOADER).tmpDir(tmp.path()).build()))
                    .build()
                    .start();
            try {
                HttpClient http = HttpClient.newHttpClient();
                for (String file : WebAppFiles.list(LOADER)) {
                    HttpResponse<byte[]> response = get(http, server, "/" + file);
                    assertThat(file, response.statusCode(), is(200));
                    assertThat(file, response.body(), is(resource(file)));
                }
                HttpResponse<byte[]> welcome = get(http, server, "/");
                assertThat(welcome.statusCode(), is(200));
                assertThat(welcome.body(), is(resource(WebAppFiles.WELCOME_FILE)));
                assertThat(welcome.headers().firstValue("Content-Type").orElse(""), containsString("text/html"));
                assertThat(get(http, server, "/js/none.js").statusCode(), is(404));
                try (Stream<Path> written = Files.list(tmp.path())) {
                    assertThat(written.toList(), is(List.of()));
                }
            } finally {
                server.stop();
            }
        }
    }

    private static HttpResponse<byte[]> get(HttpClient http, WebServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                         HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] resource(String file) throws Exception {
        try (InputStream in = LOADER.getResourceAsStream(WebAppFiles.ROOT + "/" + file)) {
            return in.readAllBytes();
        }
    }
}
