package org.mlsbridge.matrix;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.mlsbridge.bridge.transport.TransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests to one homeserver as one account, with the retry rules of {@link RetryPolicy} and
 * password login (as the account's device) on first use and again after a 401.
 * Blocking: call from a virtual thread. Safe for concurrent use.
 */
final class MatrixHttp {
    private static final Logger LOG = LoggerFactory.getLogger(MatrixHttp.class);
    static final String API = "/_matrix/client/v3";
    /** Longest response body accepted; a sync is bounded by its filter far below this. */
    private static final int MAX_BODY = 32 * 1024 * 1024;

    private final WebClient client;
    private final MatrixAccount account;
    private final RetryPolicy policy;
    private final String base;
    private final ReentrantLock loginLock = new ReentrantLock();
    private volatile String accessToken;
    private final AtomicLong logins = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    MatrixHttp(WebClient client, MatrixAccount account, RetryPolicy policy) {
        this.client = Objects.requireNonNull(client, "client");
        this.account = Objects.requireNonNull(account, "account");
        this.policy = Objects.requireNonNull(policy, "policy");
        String b = account.homeserver().toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }

    /** How many password logins this connection made. */
    long logins() {
        return logins.get();
    }

    /** How many requests were retried (rate limit, server or network error, expired token). */
    long retries() {
        return retries.get();
    }

    /** Logs in unless a token is already held. */
    void ensureLoggedIn() throws TransportException, InterruptedException {
        if (accessToken == null) {
            login(null);
        }
    }

    /** An authenticated request; {@code longPoll} is added to the request timeout (sync). */
    JsonObject call(HttpMethod method, String path, Map<String, String> query, JsonObject body, Duration longPoll)
            throws TransportException, InterruptedException {
        ensureLoggedIn();
        return execute(method, path, query, body, longPoll, true);
    }

    JsonObject call(HttpMethod method, String path, JsonObject body) throws TransportException, InterruptedException {
        return call(method, path, Map.of(), body, Duration.ZERO);
    }

    private void login(String expiredToken) throws TransportException, InterruptedException {
        loginLock.lock();
        try {
            if (accessToken != null && !accessToken.equals(expiredToken)) {
                return; // another thread logged in meanwhile
            }
            JsonObject req = new JsonObject()
                    .put("type", "m.login.password")
                    .put("identifier", new JsonObject().put("type", "m.id.user").put("user", account.matrixUserId()))
                    .put("password", account.password())
                    .put("device_id", account.deviceId())
                    .put("initial_device_display_name", "mlsbridge MLS client");
            JsonObject resp = execute(HttpMethod.POST, API + "/login", Map.of(), req, Duration.ZERO, false);
            String token = resp.getValue("access_token") instanceof String s && !s.isEmpty() ? s : null;
            if (token == null) {
                throw new TransportException("login of " + account.matrixUserId() + ": no access_token", true);
            }
            if (!account.matrixUserId().equals(resp.getValue("user_id"))
                    || !account.deviceId().equals(resp.getValue("device_id"))) {
                throw new TransportException("login of " + account.matrixUserId() + " returned user "
                        + resp.getValue("user_id") + " device " + resp.getValue("device_id"), false);
            }
            accessToken = token;
            logins.incrementAndGet();
            LOG.debug("logged in: user={} device={}", account.matrixUserId(), account.deviceId());
        } finally {
            loginLock.unlock();
        }
    }

    private JsonObject execute(HttpMethod method, String path, Map<String, String> query, JsonObject body,
            Duration longPoll, boolean authenticated) throws TransportException, InterruptedException {
        boolean reauthenticated = false;
        String what = method + " " + path;
        TransportException last = null;
        for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
            if (attempt > 1) {
                retries.incrementAndGet();
            }
            String token = accessToken;
            Duration timeout = policy.requestTimeout().plus(longPoll);
            Result r = once(method, path, query, body, authenticated ? token : null, timeout);
            if (r.failure() != null) {
                last = new TransportException(what + ": " + r.failure(), true);
                sleepBackoff(what, attempt, r.failure());
                continue;
            }
            int status = r.status();
            JsonObject json = r.json();
            if (status >= 200 && status < 300) {
                if (json == null) {
                    last = new TransportException(what + ": answer is not a JSON object", true);
                    sleepBackoff(what, attempt, "answer is not a JSON object");
                    continue;
                }
                return json;
            }
            String errcode = json != null && json.getValue("errcode") instanceof String s ? s : null;
            String error = json != null && json.getValue("error") instanceof String s ? s : "";
            String message = what + ": HTTP " + status + (errcode != null ? " " + errcode : "")
                    + (error.isEmpty() ? "" : " (" + abbreviate(error) + ")");
            if (status == 401 && authenticated && !reauthenticated) {
                reauthenticated = true;
                LOG.info("access token refused, logging in again: user={} errcode={}", account.matrixUserId(),
                        errcode);
                login(token);
                continue;
            }
            if (status == 429) {
                Duration wait = retryAfter(r.headers(), json);
                last = new MatrixHttpException(message, status, errcode, true);
                if (wait.compareTo(policy.maxRetryAfter()) > 0) {
                    throw new MatrixHttpException(message + ": server asks to wait " + wait.toMillis() + " ms", status,
                            errcode, true);
                }
                if (attempt < policy.maxAttempts()) {
                    LOG.debug("rate limited: {} waiting {} ms", what, wait.toMillis());
                    Thread.sleep(wait);
                }
                continue;
            }
            if (status >= 500) {
                last = new MatrixHttpException(message, status, errcode, true);
                sleepBackoff(what, attempt, "HTTP " + status);
                continue;
            }
            throw new MatrixHttpException(message, status, errcode, false);
        }
        throw new TransportException("gave up after " + policy.maxAttempts() + " attempts: "
                + (last == null ? what : last.getMessage()), true, last);
    }

    private void sleepBackoff(String what, int attempt, String reason) throws InterruptedException {
        if (attempt >= policy.maxAttempts()) {
            return;
        }
        Duration d = policy.backoff(attempt, ThreadLocalRandom.current());
        LOG.debug("retrying {} in {} ms after {}", what, d.toMillis(), reason);
        Thread.sleep(d);
    }

    /** Retry-After (delta-seconds or HTTP-date) first, then the body's retry_after_ms, else the first backoff. */
    static Duration retryAfter(MultiMap headers, JsonObject body) {
        String h = headers == null ? null : headers.get("Retry-After");
        if (h != null) {
            String v = h.trim();
            if (!v.isEmpty() && v.length() <= 10 && v.chars().allMatch(Character::isDigit)) {
                return Duration.ofSeconds(Long.parseLong(v));
            }
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException e) {
                // unusable header: fall through to the body
            }
        }
        if (body != null && body.getValue("retry_after_ms") instanceof Number n && n.longValue() >= 0) {
            return Duration.ofMillis(n.longValue());
        }
        return Duration.ofSeconds(1);
    }

    private record Result(int status, MultiMap headers, JsonObject json, String failure) {
    }

    private Result once(HttpMethod method, String path, Map<String, String> query, JsonObject body, String token,
            Duration timeout) throws InterruptedException {
        HttpRequest<Buffer> req = client.requestAbs(method, base + path + queryString(query));
        req.timeout(timeout.toMillis());
        if (token != null) {
            req.putHeader("Authorization", "Bearer " + token);
        }
        var future = body == null ? req.send()
                : req.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body.encode()));
        HttpResponse<Buffer> resp;
        try {
            resp = future.toCompletionStage().toCompletableFuture()
                    .get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            return new Result(0, null, null, c.getClass().getSimpleName() + ": " + c.getMessage());
        } catch (TimeoutException e) {
            return new Result(0, null, null, "no answer within " + timeout.toMillis() + " ms");
        }
        Buffer b = resp.body();
        JsonObject json = null;
        if (b != null && b.length() > 0 && b.length() <= MAX_BODY) {
            try {
                Object parsed = io.vertx.core.json.Json.decodeValue(b);
                if (parsed instanceof JsonObject o) {
                    json = o;
                }
            } catch (io.vertx.core.json.DecodeException e) {
                json = null;
            }
        }
        return new Result(resp.statusCode(), resp.headers(), json, null);
    }

    private static String queryString(Map<String, String> query) {
        if (query.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : query.entrySet()) {
            sb.append(sb.isEmpty() ? '?' : '&').append(encode(e.getKey())).append('=').append(encode(e.getValue()));
        }
        return sb.toString();
    }

    /** Percent-encodes all but RFC 3986 unreserved characters (path segments and query values). */
    static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    static Map<String, String> query(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
