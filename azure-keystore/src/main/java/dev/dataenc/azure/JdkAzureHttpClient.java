package dev.dataenc.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeader;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ProxySelector;
import java.net.URISyntaxException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLContext;
import reactor.core.publisher.Mono;

/**
 * An azure-core {@link HttpClient} on the JDK's own {@code java.net.http.HttpClient}, so the keystore needs neither
 * Netty nor OkHttp ({@code azure-core-http-jdk-httpclient} does not resolve in this build). Bodies are small JSON
 * documents, buffered whole. Thread-safe.
 */
public final class JdkAzureHttpClient implements HttpClient {

    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final java.net.http.HttpClient client;

    private JdkAzureHttpClient(java.net.http.HttpClient client) {
        this.client = client;
    }

    /** A client that trusts the JVM's default trust store and uses its proxy settings ({@code https.proxyHost}, ...). */
    public static JdkAzureHttpClient create() {
        java.net.http.HttpClient.Builder b = java.net.http.HttpClient.newBuilder().connectTimeout(TIMEOUT);
        if (ProxySelector.getDefault() != null) {
            b.proxy(ProxySelector.getDefault());
        }
        return new JdkAzureHttpClient(b.build());
    }

    /** A client that trusts what the given SSL context trusts (tests: a self-signed loopback certificate). */
    public static JdkAzureHttpClient create(SSLContext sslContext) {
        return new JdkAzureHttpClient(java.net.http.HttpClient.newBuilder().connectTimeout(TIMEOUT)
                .sslContext(sslContext).build());
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
        return send(request, Context.NONE);
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request, Context context) {
        return Mono.fromFuture(() -> client.sendAsync(toJdk(request), BodyHandlers.ofByteArray()))
                .map(r -> new JdkAzureHttpResponse(request, r));
    }

    @Override
    public HttpResponse sendSync(HttpRequest request, Context context) {
        try {
            return new JdkAzureHttpResponse(request, client.send(toJdk(request), BodyHandlers.ofByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + request.getUrl().getHost(), e);
        }
    }

    private static java.net.http.HttpRequest toJdk(HttpRequest request) {
        BinaryData body = request.getBodyAsBinaryData();
        java.net.http.HttpRequest.Builder b;
        try {
            b = java.net.http.HttpRequest.newBuilder(request.getUrl().toURI()).timeout(TIMEOUT);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URI: " + request.getUrl(), e);
        }
        b.method(request.getHttpMethod().name(),
                body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body.toBytes()));
        for (HttpHeader h : request.getHeaders()) {
            if (!RESTRICTED.contains(h.getName().toLowerCase(Locale.ROOT))) {
                for (String v : h.getValuesList()) {
                    b.header(h.getName(), v);
                }
            }
        }
        return b.build();
    }
}
