package io.microchat.devstack;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The MongoDB-protocol store as a process of its own, as MongoDB is in production: the benchmark runs it so,
 * keeping the store's work and memory out of the load generator's process (where its collections would stretch
 * the generator's garbage-collection pauses into the latencies measured). Listens on 127.0.0.1 at {@code PORT};
 * keeps data in {@code STORE_FILE} when set, else in memory; stops on SIGTERM.
 */
public final class StoreServer {

    private StoreServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(System.getenv("PORT"));
        String file = System.getenv("STORE_FILE");
        EmbeddedMongo store = file == null || file.isBlank()
                ? EmbeddedMongo.inMemory(port) : EmbeddedMongo.persistent(Path.of(file), port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            store.stop();
            stopped.countDown();
        }, "store-stop"));
        store.start();
        System.out.println("MongoDB-protocol store listening on 127.0.0.1:" + port);
        stopped.await();
    }
}
