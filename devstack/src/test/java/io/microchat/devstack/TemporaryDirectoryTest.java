package io.microchat.devstack;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class TemporaryDirectoryTest {

    @Test
    void closingDeletesTheDirectoryWithEverythingInIt() throws Exception {
        Path path;
        try (TemporaryDirectory dir = TemporaryDirectory.create("temporary-directory-test")) {
            path = dir.path();
            Files.writeString(path.resolve("jwt-signing-key.pem"), "secret");
            Files.createDirectories(path.resolve("mongo/nested"));
            Files.writeString(path.resolve("mongo/nested/data.mv"), "data");
            assertThat(Files.isDirectory(path), is(true));
        }
        assertThat(Files.exists(path), is(false));
    }

    @Test
    void closingTwiceOrAfterTheDirectoryWentIsHarmless() throws Exception {
        TemporaryDirectory dir = TemporaryDirectory.create("temporary-directory-test");
        Files.delete(dir.path());
        dir.close();
        dir.close();
        assertThat(Files.exists(dir.path()), is(false));
    }
}
