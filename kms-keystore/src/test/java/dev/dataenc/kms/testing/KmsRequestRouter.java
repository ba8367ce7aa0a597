package dev.dataenc.kms.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side of the test server, AWS JSON 1.1: {@code POST /} with {@code X-Amz-Target: TrentService.<Op>},
 * a SigV4 {@code Authorization} header and a JSON body. Counts each request per operation, applies the
 * {@link KmsFaults}, runs the operation and writes {@code 200} with the JSON result, or an error as HTTP 400
 * (500 for an internal error) with header {@code x-amzn-ErrorType} and body {@code {"__type", "message"}}.
 * Tracks the peak number of requests in flight (received, not yet answered; latency included).
 */
final class KmsRequestRouter implements HttpHandler {

    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final String TARGET_PREFIX = "TrentService.";

    private final ObjectMapper json;
    private final KmsOperations operations;
    private final KmsFaults faults;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();

    KmsRequestRouter(ObjectMapper json, KmsOperations operations, KmsFaults faults) {
        this.json = json;
        this.operations = operations;
        this.faults = faults;
    }

    int count(String operation) {
        AtomicInteger c = counts.get(operation);
        return c == null ? 0 : c.get();
    }

    Map<String, Integer> counts() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    void resetCounts() {
        counts.clear();
        peakInFlight.set(inFlight.get());
    }

    /** The most requests that were being handled at the same moment since start or {@link #resetCounts()}. */
    int peakInFlight() {
        return peakInFlight.get();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(TARGET_PREFIX)) {
                error(exchange, new KmsError("UnknownOperationException", "expected POST with X-Amz-Target: TrentService.<Operation>"));
                return;
            }
            String op = target.substring(TARGET_PREFIX.length());
            counts.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
            sleep(faults.latency().toMillis());
            switch (faults.decide(op)) {
                case DROP -> {
                    exchange.close(); // no status line: the client sees the connection end
                    return;
                }
                case THROTTLE -> {
                    error(exchange, new KmsError("ThrottlingException", "Rate exceeded"));
                    return;
                }
                default -> {
                }
            }
            KmsError scripted = faults.scriptedError(op);
            if (scripted != null) {
                error(exchange, scripted);
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 ")) {
                error(exchange, new KmsError("MissingAuthenticationTokenException", "Request is missing Authentication Token"));
                return;
            }
            JsonNode request;
            try {
                request = body.length == 0 ? json.createObjectNode() : json.readTree(body);
            } catch (IOException e) {
                error(exchange, new KmsError("SerializationException", "request body is not JSON"));
                return;
            }
            ObjectNode result;
            try {
                result = operations.run(op, request);
            } catch (KmsError e) {
                error(exchange, e);
                return;
            } catch (RuntimeException e) {
                error(exchange, new KmsError("KMSInternalException", 500, "test server: " + e));
                return;
            }
            send(exchange, 200, json.writeValueAsBytes(result));
        } finally {
            inFlight.decrementAndGet();
            exchange.close();
        }
    }

    private void error(HttpExchange exchange, KmsError e) throws IOException {
        ObjectNode body = json.createObjectNode().put("__type", e.type());
        if (e.getMessage() != null) {
            body.put("message", e.getMessage());
        }
        exchange.getResponseHeaders().set("x-amzn-ErrorType", e.type());
        send(exchange, e.status(), json.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static void sleep(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
