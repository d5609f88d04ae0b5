package io.microchat.devstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A MicroChat service running as a child JVM: started with its own environment, its output prefixed with its
 * name, stopped gracefully (SIGTERM, as Kubernetes does) or killed hard (SIGKILL, as a crashed node would).
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration GRACE = Duration.ofSeconds(30);

    private final String name;
    private final int port;
    private final Process process;

    private ServiceProcess(String name, int port, Process process) {
        this.name = name;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts {@code java -jar jar} with the given environment.
     *
     * @param name name shown before each line of its output
     * @param jar  the service's runnable jar
     * @param port the HTTP port it listens on (also passed as {@code PORT})
     * @param env  more environment variables
     * @param out  where its output goes
     * @return the running process
     */
    public static ServiceProcess startJar(String name, Path jar, int port, Map<String, String> env, PrintStream out) {
        return start(name, serviceJvmOptions(), List.of("-jar", jar.toString()), port, env, out);
    }

    /**
     * Starts {@code java -cp classpath mainClass} with the given environment.
     *
     * @param name      name shown before each line of its output
     * @param classpath the class path
     * @param mainClass the main class
     * @param port      the HTTP port it listens on (also passed as {@code PORT})
     * @param env       more environment variables
     * @param out       where its output goes
     * @return the running process
     */
    public static ServiceProcess startClass(String name, String classpath, String mainClass, int port,
                                            Map<String, String> env, PrintStream out) {
        return start(name, serviceJvmOptions(), List.of("-cp", classpath, mainClass), port, env, out);
    }

    /**
     * Starts a main class with JVM options of its own (not {@code MICROCHAT_JVM_OPTS}, which is for MicroChat's
     * services).
     *
     * @param name       name shown before each line of its output
     * @param jvmOptions the JVM options
     * @param classpath  the class path
     * @param mainClass  the main class
     * @param port       the port it listens on (also passed as {@code PORT})
     * @param env        more environment variables
     * @param out        where its output goes
     * @return the running process
     */
    public static ServiceProcess startClass(String name, List<String> jvmOptions, String classpath, String mainClass,
                                            int port, Map<String, String> env, PrintStream out) {
        return start(name, jvmOptions, List.of("-cp", classpath, mainClass), port, env, out);
    }

    /** JVM options for the services, from {@code MICROCHAT_JVM_OPTS} (the benchmark sets the pods' heap there). */
    private static List<String> serviceJvmOptions() {
        String options = System.getenv().getOrDefault("MICROCHAT_JVM_OPTS", "").trim();
        return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
    }

    private static ServiceProcess start(String name, List<String> jvmOptions, List<String> target, int port,
                                        Map<String, String> env, PrintStream out) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmOptions);
        command.addAll(target);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("PORT", String.valueOf(port));
        try {
            Process process = builder.start();
            Thread.ofPlatform().daemon().name(name + "-output").start(() -> pump(name, process, out));
            return new ServiceProcess(name, port, process);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name, e);
        }
    }

    /**
     * Waits until {@code /observe/health/ready} answers 200.
     *
     * @param timeout how long to wait
     * @return this process
     * @throws IllegalStateException when it exits or is not ready in time
     */
    public ServiceProcess awaitReady(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with status " + process.exitValue());
            }
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            sleep(200);
        }
        throw new IllegalStateException(name + " not ready within " + timeout);
    }

    /**
     * Waits until the process accepts TCP connections on its port (for a process without HTTP, like the store).
     *
     * @param timeout how long to wait
     * @return this process
     * @throws IllegalStateException when it exits or does not listen in time
     */
    public ServiceProcess awaitListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with status " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return this;
            } catch (IOException e) {
                sleep(100);
            }
        }
        throw new IllegalStateException(name + " not listening within " + timeout);
    }

    /**
     * Asks the process to stop (SIGTERM) and waits for it, killing it after the grace period.
     *
     * @return the exit status
     */
    public int stop() {
        process.destroy();
        try {
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return -1;
        }
    }

    /** Kills the process at once (SIGKILL): no shutdown hooks, no goodbye. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether the process is running.
     *
     * @return true while it runs
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * The process id.
     *
     * @return the pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * The HTTP port.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * The name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }

    private static void pump(String name, Process process, PrintStream out) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                out.println("[" + name + "] " + line);
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
