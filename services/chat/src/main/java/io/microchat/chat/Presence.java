package io.microchat.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Who is online, across every instance.
 *
 * <p>Each instance keeps its own users in a Redis hash {@code presence:<instance>} (user key to name) that expires
 * unless refreshed, and its heartbeat in the sorted set {@code presence:instances}. Changes are announced on
 * {@code chat:presence} at once; every few seconds each instance also re-reads the hashes of the instances whose
 * heartbeat is fresh, so an instance that died without a word drops out of everyone's view within
 * {@code heartbeat + instanceTimeout}, and the view heals after a Redis outage. Changes reach clients as one
 * batched {@code presence} frame per tick.
 *
 * <p>A Redis outage changes nobody's presence: a restarted Redis is empty, so each hash carries a marker field
 * ({@link #COMPLETE}) written with the whole hash; a hash without it is one its instance has not rewritten yet,
 * and the last view of that instance stands until it has. After this instance's own Redis connection comes back,
 * other instances get {@code instanceTimeout} to beat again before they count as gone. An instance that does go
 * (its heartbeat stops, and it did not say {@code leave}) is reported to {@code onInstanceLost}: it may have
 * stored messages it never published.
 */
final class Presence implements OnlineUsers, AutoCloseable {

    
    private static final String INSTANCES = "presence:instances";
    private static final Logger LOGGER = Logger.getLogger(Presence.class.getName());
    private static final long TICK_MILLIS = 200;
    /** The marker field of a complete presence hash (user keys never contain {@code ~}). */
    static final String COMPLETE = "~";

    private final String instanceId;
    private final RedisBus bus;
    private final ChatMetrics metrics;
    private final long heartbeatMillis;
    private final long instanceTimeoutMillis;
    private final PresenceChanges onChange;
    private final Runnable onInstanceLost;
    private final ScheduledExecutorService scheduler;

    /** This instance's users: key to registered name, with the number of connections. */
    private final Map<String, LocalUser> local = new ConcurrentHashMap<>();
    /** Other instances' users as last read or announced: instance to (key to name). */
    private final Map<String, Map<String, String>> remote = new ConcurrentHashMap<>();
    private final Object viewLock = new Object();
    private Map<String, String> published = Map.of();
    private volatile List<String> snapshot = List.of();
    private volatile boolean dirty = true;
    private volatile boolean needsFullWrite = true;
    private volatile boolean healthy;
    /** When the Redis connection last came back (or first worked). */
    private volatile long recoveredAt;
    private Jedis connection;

    /**
     * Presence; it listens on {@link Channels#PRESENCE} from now on, and writes to Redis from {@link #start}.
     *
     * @param instanceId     this instance
     * @param bus            Redis (its pub/sub, and connections for the hashes)
     * @param metrics        metrics
     * @param settings       heartbeat and instance timeout
     * @param onChange       gets who came online and who went offline, once a tick
     * @param onInstanceLost runs when another instance stopped beating without leaving
     */
    Presence(String instanceId, RedisBus bus, ChatMetrics metrics, ChatSettings.Presence settings,
             PresenceChanges onChange, Runnable onInstanceLost) {
        this.instanceId = instanceId;
        this.bus = bus;
        this.metrics = metrics;
        this.heartbeatMillis = settings.heartbeat().toMillis();
        this.instanceTimeoutMillis = settings.instanceTimeout().toMillis();
        this.onChange = onChange;
        this.onInstanceLost = onInstanceLost;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "presence"));
        bus.handle(Channels.PRESENCE, this::onAnnouncement);
    }

    /** Starts the heartbeat and the tick. */
    void start() {
        scheduler.scheduleWithFixedDelay(this::heartbeat, 0, heartbeatMillis, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * A connection of a user opened here. Call in order with {@link #disconnected} per user.
     *
     * @param key  user key
     * @param name registered name
     */
    @Override
    public void connected(String key, String name) {
        LocalUser user = local.compute(key, (k, existing) -> existing == null ? new LocalUser(name, 1)
                : new LocalUser(name, existing.connections() + 1));
        if (user.connections() == 1) {
            dirty = true;
            scheduler.execute(() -> write(jedis -> {
                Pipeline p = jedis.pipelined();
                p.hset(hash(instanceId), key, name);
                p.expire(hash(instanceId), ttlSeconds());
                p.publish(Channels.PRESENCE, "on|" + instanceId + "|" + key + "|" + name);
                p.sync();
            }));
        }
    }

    /**
     * A connection of a user closed here.
     *
     * @param key user key
     */
    @Override
    public void disconnected(String key) {
        LocalUser user = local.computeIfPresent(key, (k, existing) -> existing.connections() <= 1 ? null
                : new LocalUser(existing.name(), existing.connections() - 1));
        if (user == null) {
            dirty = true;
            scheduler.execute(() -> write(jedis -> {
                Pipeline p = jedis.pipelined();
                p.hdel(hash(instanceId), key);
                p.publish(Channels.PRESENCE, "off|" + instanceId + "|" + key + "|");
                p.sync();
            }));
        }
    }

    /**
     * An announcement on {@link Channels#PRESENCE}.
     *
     * @param payload {@code on|instance|key|name}, {@code off|instance|key|} or {@code leave|instance||}
     */
    private void onAnnouncement(String payload) {
        String[] parts = payload.split("\\|", 4);
        if (parts.length < 4 || parts[1].equals(instanceId)) {
            return;
        }
        switch (parts[0]) {
        case "on" -> remote.computeIfAbsent(parts[1], i -> new ConcurrentHashMap<>()).put(parts[2], parts[3]);
        case "off" -> {
            Map<String, String> users = remote.get(parts[1]);
            if (users != null) {
                users.remove(parts[2]);
            }
        }
        case "leave" -> remote.remove(parts[1]);
        default -> {
            return;
        }
        }
        dirty = true;
    }

    /**
     * Everyone online now, by registered name.
     *
     * @return the names
     */
    @Override
    public List<String> online() {
        if (dirty) {
            tick();
        }
        return snapshot;
    }

    /**
     * On how many instances a user has connections, this one included, as the announcements tell.
     *
     * @param key user key
     * @return the count, 0 when nowhere
     */
    @Override
    public int instancesWith(String key) {
        int count = local.containsKey(key) ? 1 : 0;
        for (Map<String, String> users : remote.values()) {
            if (users.containsKey(key)) {
                count++;
            }
        }
        return count;
    }

    boolean isHealthy() {
        return healthy;
    }

    /** Leaves for good (on shutdown): removes this instance's entries and tells the others at once. */
    @Override
    public void leave() {
        close();
        try (Jedis jedis = bus.connect()) {
            Pipeline p = jedis.pipelined();
            p.del(hash(instanceId));
            p.zrem(INSTANCES, instanceId);
            p.publish(Channels.PRESENCE, "leave|" + instanceId + "||");
            p.sync();
        } catch (RuntimeException e) {
            LOGGER.warning(() -> "could not remove presence on shutdown (it expires by itself): " + e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnection();
    }

    private void heartbeat() {
        write(jedis -> {
            long now = System.currentTimeMillis();
            if (needsFullWrite || !jedis.hexists(hash(instanceId), COMPLETE)) {
                // after an outage, or Redis restarted (empty) without this instance noticing
                writeWholeHash(jedis);
            }
            Pipeline p = jedis.pipelined();
            p.expire(hash(instanceId), ttlSeconds());
            p.zadd(INSTANCES, now, instanceId);
            p.zremrangeByScore(INSTANCES, 0, now - 3_600_000);
            var live = p.zrangeByScore(INSTANCES, now - instanceTimeoutMillis, Double.POSITIVE_INFINITY);
            p.sync();

            Pipeline reads = jedis.pipelined();
            Map<String, redis.clients.jedis.Response<Map<String, String>>> responses = new HashMap<>();
            for (String instance : live.get()) {
                if (!instance.equals(instanceId)) {
                    responses.put(instance, reads.hgetAll(hash(instance)));
                }
            }
            reads.sync();
            Map<String, Map<String, String>> fresh = new HashMap<>();
            responses.forEach((instance, response) -> {
                Map<String, String> users = new ConcurrentHashMap<>(response.get());
                Map<String, String> last = remote.get(instance);
                // a hash without the marker is not rewritten yet since Redis restarted: keep the last view
                fresh.put(instance, users.remove(COMPLETE) != null || last == null ? users : last);
            });
            Set<String> gone = new HashSet<>(remote.keySet());
            gone.removeAll(fresh.keySet());
            if (now - recoveredAt < instanceTimeoutMillis) {
                // this instance was cut off from Redis: the others get a full timeout to beat again
                gone.forEach(instance -> fresh.put(instance, remote.get(instance)));
                gone.clear();
            }
            remote.keySet().retainAll(fresh.keySet());
            remote.putAll(fresh);
            dirty = true;
            if (!gone.isEmpty()) {
                LOGGER.info(() -> "instances gone without leaving: " + gone);
                Thread.startVirtualThread(onInstanceLost);
            }
        });
    }

    private void writeWholeHash(Jedis jedis) {
        Map<String, String> all = new HashMap<>();
        local.forEach((key, user) -> all.put(key, user.name()));
        all.put(COMPLETE, "");
        Pipeline p = jedis.pipelined();
        p.del(hash(instanceId));
        p.hset(hash(instanceId), all);
        p.expire(hash(instanceId), ttlSeconds());
        p.sync();
        needsFullWrite = false;
    }

    /** Runs on the scheduler thread only, over its one connection (opened again after a failure). */
    private void write(RedisWork work) {
        try {
            if (connection == null) {
                connection = bus.connect();
            }
            if (!healthy) {
                // the grace for the other instances counts from the first write that works again
                recoveredAt = System.currentTimeMillis();
            }
            work.run(connection);
            healthy = true;
        } catch (RuntimeException e) {
            closeConnection();
            if (healthy) {
                LOGGER.warning(() -> "presence update failed, retried on the next heartbeat: " + e.getMessage());
            }
            healthy = false;
            needsFullWrite = true;
            metrics.error("redis");
        }
    }

    private void tick() {
        List<String> online = new ArrayList<>();
        List<String> offline = new ArrayList<>();
        synchronized (viewLock) {
            if (!dirty) {
                return;
            }
            dirty = false;
            Map<String, String> now = new HashMap<>();
            remote.values().forEach(now::putAll);
            local.forEach((key, user) -> now.put(key, user.name()));
            now.forEach((key, name) -> {
                if (!published.containsKey(key)) {
                    online.add(name);
                }
            });
            published.forEach((key, name) -> {
                if (!now.containsKey(key)) {
                    offline.add(name);
                }
            });
            published = now;
            List<String> names = new ArrayList<>(now.values());
            names.sort(String.CASE_INSENSITIVE_ORDER);
            snapshot = List.copyOf(names);
            metrics.presenceUsers(snapshot.size());
        }
        if (!online.isEmpty() || !offline.isEmpty()) {
            onChange.changed(online, offline);
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (RuntimeException ignored) {
                // broken already
            }
            connection = null;
        }
    }

    private long ttlSeconds() {
        return Math.max(2, (heartbeatMillis + instanceTimeoutMillis) / 1000);
    }

    private static String hash(String instance) {
        return "presence:" + instance;
    }

    /** Where changes of who is online go (the connections here, through {@link Delivery}). */
    interface PresenceChanges {
        /**
         * Users came online or went offline.
         *
         * @param online  names now online
         * @param offline names now offline
         */
        void changed(List<String> online, List<String> offline);
    }

    private interface RedisWork {
        void run(Jedis jedis);
    }

    private record LocalUser(String name, int connections) {
    }
}
