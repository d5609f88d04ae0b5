package io.microchat.chat;

import java.net.Socket;

import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Opens one socket, never a second. A Jedis connection whose socket is closed opens a new one for the next
 * command, without authenticating it; for the subscription connection, whose commands are written by another
 * thread than the one that closes it, that would leave a stray socket behind for every command queued before the
 * close. With this factory such a command fails instead, and the next connection is a new, authenticated one.
 */
final class SingleSocketFactory implements JedisSocketFactory {

    private final DefaultJedisSocketFactory sockets;
    private boolean opened;

    /**
     * A factory for one connection.
     *
     * @param address where Redis is
     * @param config  timeouts and TLS
     */
    SingleSocketFactory(HostAndPort address, JedisClientConfig config) {
        this.sockets = new DefaultJedisSocketFactory(address, config);
    }

    @Override
    public synchronized Socket createSocket() {
        if (opened) {
            throw new JedisConnectionException("this connection is closed; it is not opened again");
        }
        opened = true;
        return sockets.createSocket();
    }
}
