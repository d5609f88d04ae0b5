package io.microchat.auth;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/**
 * Where a request comes from, for the login throttle and the security log: the address of the connection, or,
 * behind {@code trustedProxyHops} proxies that append to {@code X-Forwarded-For} (an ingress), the entry the
 * nearest of them wrote. With no trusted proxy (the default) the header is ignored, since any client can send it.
 */
final class ClientAddress {

    private final int trustedProxyHops;

    ClientAddress(int trustedProxyHops) {
        if (trustedProxyHops < 0) {
            throw new IllegalArgumentException("app.proxy.hops must be 0 or more");
        }
        this.trustedProxyHops = trustedProxyHops;
    }

    String of(ServerRequest req) {
        String peer = peer(req.remotePeer().address(), req.remotePeer().host());
        if (trustedProxyHops == 0) {
            return peer;
        }
        List<String> chain = req.headers().all(HeaderNames.X_FORWARDED_FOR, List::of).stream()
                .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        // the last trustedProxyHops entries were written by our proxies; the one they received from is the client
        int index = chain.size() - trustedProxyHops;
        return index >= 0 && index < chain.size() ? chain.get(index) : chain.isEmpty() ? peer : chain.getFirst();
    }

    private static String peer(SocketAddress address, String host) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return host;
    }
}
