package io.microchat.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A signed-in session that keeps its access token fresh: refreshes it before it expires (at four fifths of its
 * life, or a minute before, whichever is earlier), and on demand after the chat service said {@code token_expired}.
 * Refreshes are single-flight (one at a time; the refresh token is single use). A network failure is retried
 * with backoff; an answer that the session is over (the refresh token is invalid, reused, or its session ended)
 * ends it and tells the listeners.
 */
public final class AuthSession implements AutoCloseable {

    private static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final AuthClient auth;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("auth-session").daemon().unstarted(r));
    private final List<Consumer<AuthClient.Token>> onRefreshed = new CopyOnWriteArrayList<>();
    private final List<Consumer<AuthClient.ApiException>> onEnded = new CopyOnWriteArrayList<>();
    private volatile AuthClient.Token token;
    private volatile boolean ended;
    private ScheduledFuture<?> next;

    /**
     * A session from a login.
     *
     * @param auth  the auth API
     * @param login the tokens of the login
     */
    public AuthSession(AuthClient auth, AuthClient.Token login) {
        this.auth = auth;
        this.token = login;
        schedule(login);
    }

    /**
     * The current tokens.
     *
     * @return the tokens
     */
    public AuthClient.Token token() {
        return token;
    }

    /**
     * Whether the session is over (log in again).
     *
     * @return true once ended
     */
    public boolean isEnded() {
        return ended;
    }

    /**
     * Calls back with each new access token (a refresh happened).
     *
     * @param listener the callback
     */
    public void onRefreshed(Consumer<AuthClient.Token> listener) {
        onRefreshed.add(listener);
    }

    /**
     * Calls back once when the session ends (the server refused the refresh token).
     *
     * @param listener the callback, with the server's answer
     */
    public void onEnded(Consumer<AuthClient.ApiException> listener) {
        onEnded.add(listener);
    }

    /**
     * Refreshes now, unless another thread did so while this one waited.
     *
     * @param seen the access token the caller found wanting
     * @return the current tokens
     * @throws AuthClient.ApiException when the session is over
     */
    public synchronized AuthClient.Token refreshNow(String seen) {
        if (ended) {
            throw new AuthClient.ApiException(401, "session_ended", "The session has ended; log in again.");
        }
        if (!token.value().equals(seen)) {
            return token;
        }
        try {
            AuthClient.Token fresh = auth.refresh(token.refreshToken());
            token = fresh;
            schedule(fresh);
            onRefreshed.forEach(listener -> listener.accept(fresh));
            return fresh;
        } catch (AuthClient.ApiException e) {
            if (e.status() == 401) {
                ended = true;
                onEnded.forEach(listener -> listener.accept(e));
            }
            throw e;
        }
    }

    /**
     * Logs this session out.
     */
    public synchronized void logout() {
        ended = true;
        close();
        auth.logout(token.refreshToken());
    }

    private synchronized void schedule(AuthClient.Token fresh) {
        if (next != null) {
            next.cancel(false);
        }
        Duration life = Duration.between(Instant.now(), fresh.expiresAt());
        Duration lead = life.dividedBy(5).compareTo(Duration.ofMinutes(1)) < 0 ? life.dividedBy(5)
                : Duration.ofMinutes(1);
        long delay = Math.max(0, life.minus(lead).toMillis());
        next = timer.schedule(() -> refreshInBackground(fresh.value(), Duration.ofSeconds(1)), delay,
                              TimeUnit.MILLISECONDS);
    }

    private void refreshInBackground(String seen, Duration retry) {
        try {
            refreshNow(seen);
        } catch (AuthClient.ApiException e) {
            if (e.status() != 401) {
                retryLater(seen, retry);
            }
        } catch (RuntimeException e) {
            retryLater(seen, retry);
        }
    }

    private synchronized void retryLater(String seen, Duration retry) {
        if (!ended && !timer.isShutdown()) {
            Duration longer = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
            next = timer.schedule(() -> refreshInBackground(seen, longer), retry.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
