package io.microchat.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.util.SafeEncoder;

/**
 * Which instances listen on which pub/sub channel, kept in Redis next to the subscriptions, so that a publication
 * on a user's channel goes out only when an instance other than its publisher listens on it: a message from a
 * user with no device elsewhere costs no publication for the sender's own copy.
 *
 * <p>The keys, all of them this class's: {@code pubsub:listeners:<channel>}, the set of instances listening on a
 * channel, and {@code pubsub:channels:<instance>}, the channels an instance listens on, with the marker
 * {@link #MARKER} written with the whole set. Redis decides whether to publish, in one script
 * ({@link #PUBLISH_ELSEWHERE_SCRIPT}), so the decision and the publication are one step that no listing can come
 * between.
 *
 * <p>Why nothing is lost: an instance lists a channel, and has Redis confirm it, before it sends the SUBSCRIBE,
 * and a connection replays from MongoDB only after its subscription is confirmed. A publication decided before the
 * listing is of a message stored before it, so the replay has it; one decided after it is published, and heard or
 * replayed. When the listing itself is lost (Redis emptied, or another instance took this one for dead and
 * {@link #forget forgot} it), the marker is gone: the instance lists every channel again ({@link #reconcile}) and
 * catches up from MongoDB like after any outage ({@link RedisBus}).
 */
final class ChannelListeners {

    /** Written into an instance's set of channels with the whole set; never a channel name. */
    static final String MARKER = "~";
    private static final String LISTENERS_PREFIX = "pubsub:listeners:";
    private static final String CHANNELS_PREFIX = "pubsub:channels:";

    /**
     * Publishes {@code ARGV[2]} on channel {@code ARGV[i + 2]} when {@code KEYS[i]}, that channel's listeners, holds
     * an instance other than {@code ARGV[1]}, the publisher.
     */
    static final String PUBLISH_ELSEWHERE_SCRIPT = """
            local self = ARGV[1]
            for i, key in ipairs(KEYS) do
              local n = redis.call('SCARD', key)
              if n > 1 or (n == 1 and redis.call('SISMEMBER', key, self) == 0) then
                redis.call('PUBLISH', ARGV[i + 2], ARGV[2])
              end
            end
            return 0""";

    /** Removes instance {@code ARGV[1]} from the listeners of every channel of its set {@code KEYS[1]}, and the set. */
    private static final String FORGET_SCRIPT = """
            for _, channel in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              redis.call('SREM', ARGV[2] .. channel, ARGV[1])
            end
            redis.call('DEL', KEYS[1])
            return 0""";

    /**
     * Makes instance {@code ARGV[1]}'s listing, {@code KEYS[1]}, exactly channels {@code ARGV[3..]} and the marker,
     * in one step: a {@link #forget} cannot fall between its reading and its writing.
     */
    private static final String RECONCILE_SCRIPT = """
            local wanted = {}
            for i = 3, #ARGV do wanted[ARGV[i]] = true end
            for _, channel in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              if not wanted[channel] and channel ~= '~' then
                redis.call('SREM', ARGV[2] .. channel, ARGV[1])
              end
            end
            redis.call('DEL', KEYS[1])
            redis.call('SADD', KEYS[1], '~')
            for i = 3, #ARGV do
              redis.call('SADD', ARGV[2] .. ARGV[i], ARGV[1])
              redis.call('SADD', KEYS[1], ARGV[i])
            end
            return 0""";

    private final String instanceId;
    private final byte[] self;

    /**
     * The listings of one instance.
     *
     * @param instanceId the instance
     */
    ChannelListeners(String instanceId) {
        this.instanceId = instanceId;
        this.self = SafeEncoder.encode(instanceId);
    }

    /**
     * Lists this instance as a listener of channels, in one round trip. A {@link #forget} in the middle takes the
     * marker along, so it is noticed ({@link #intact}).
     *
     * @param jedis    the connection
     * @param channels the channels
     * @throws redis.clients.jedis.exceptions.JedisException when Redis refused one (full) or is gone
     */
    void add(Jedis jedis, List<String> channels) {
        Pipeline p = jedis.pipelined();
        List<Response<Long>> answers = new ArrayList<>(2 * channels.size());
        for (String channel : channels) {
            answers.add(p.sadd(listenersKey(channel), instanceId));
            answers.add(p.sadd(channelsKey(instanceId), channel));
        }
        p.sync();
        answers.forEach(Response::get); // throws the first error Redis answered
    }

    /**
     * Takes this instance off a channel's listeners.
     *
     * @param jedis   the connection
     * @param channel the channel
     */
    void remove(Jedis jedis, String channel) {
        Pipeline p = jedis.pipelined();
        p.srem(listenersKey(channel), instanceId);
        p.srem(channelsKey(instanceId), channel);
        p.sync();
    }

    /**
     * Makes this instance's listing exactly a set of channels (after a reconnect, or after the listing was lost),
     * with the marker.
     *
     * @param jedis    the connection
     * @param channels the channels listened on
     */
    void reconcile(Jedis jedis, Set<String> channels) {
        List<String> args = new ArrayList<>(channels.size() + 2);
        args.add(instanceId);
        args.add(LISTENERS_PREFIX);
        args.addAll(channels);
        jedis.eval(RECONCILE_SCRIPT, List.of(channelsKey(instanceId)), args);
    }

    /**
     * Whether this instance's listing is still in Redis (its marker is).
     *
     * @param jedis the connection
     * @return false when Redis lost it or another instance forgot this one
     */
    boolean intact(Jedis jedis) {
        return jedis.sismember(channelsKey(instanceId), MARKER);
    }

    /**
     * Queues one publication of a payload on each channel that an instance other than this one listens on.
     *
     * @param pipeline the pipeline
     * @param sha      {@link #PUBLISH_ELSEWHERE_SCRIPT}'s SHA-1, as Redis loaded it
     * @param channels the channels
     * @param payload  the payload, encoded
     * @return the script's answer (an error {@code NOSCRIPT} when Redis lost the script)
     */
    Response<Object> publishElsewhere(Pipeline pipeline, byte[] sha, List<String> channels, byte[] payload) {
        List<byte[]> keys = new ArrayList<>(channels.size());
        List<byte[]> args = new ArrayList<>(channels.size() + 2);
        args.add(self);
        args.add(payload);
        for (String channel : channels) {
            keys.add(SafeEncoder.encode(listenersKey(channel)));
            args.add(SafeEncoder.encode(channel));
        }
        return pipeline.evalsha(sha, keys, args);
    }

    /**
     * Removes this instance's listing (it leaves).
     *
     * @param jedis the connection
     */
    void forget(Jedis jedis) {
        forget(jedis, instanceId);
    }

    /**
     * Removes an instance's listing: it left, or it stopped beating. Should it be alive after all, it finds its
     * marker gone, lists itself again and catches up.
     *
     * @param jedis    the connection
     * @param instance the instance
     */
    static void forget(Jedis jedis, String instance) {
        jedis.eval(FORGET_SCRIPT, List.of(channelsKey(instance)), List.of(instance, LISTENERS_PREFIX));
    }

    /**
     * The instances that have a listing, found by a scan (for sweeping those of instances long gone).
     *
     * @param jedis the connection
     * @return instance ids
     */
    static List<String> listedInstances(Jedis jedis) {
        List<String> instances = new ArrayList<>();
        ScanParams params = new ScanParams().match(CHANNELS_PREFIX + "*").count(500);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = jedis.scan(cursor, params);
            for (String key : page.getResult()) {
                instances.add(key.substring(CHANNELS_PREFIX.length()));
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        return instances;
    }

    /**
     * Loads {@link #PUBLISH_ELSEWHERE_SCRIPT} into Redis.
     *
     * @param jedis the connection
     * @return its SHA-1
     */
    static byte[] load(Jedis jedis) {
        return SafeEncoder.encode(jedis.scriptLoad(PUBLISH_ELSEWHERE_SCRIPT));
    }

    static String listenersKey(String channel) {
        return LISTENERS_PREFIX + channel;
    }

    static String channelsKey(String instance) {
        return CHANNELS_PREFIX + instance;
    }
}
