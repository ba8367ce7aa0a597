package dev.dataenc.azure;

import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A buffered response of {@link JdkAzureHttpClient}. */
final class JdkAzureHttpResponse extends HttpResponse {

    private final int status;
    private final HttpHeaders headers;
    private final byte[] body;

    JdkAzureHttpResponse(HttpRequest request, java.net.http.HttpResponse<byte[]> response) {
        super(request);
        this.status = response.statusCode();
        this.headers = new HttpHeaders();
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                headers.set(name, values);
            }
        });
        this.body = response.body() == null ? new byte[0] : response.body();
    }

    @Override
    public int getStatusCode() {
        return status;
    }

    @Override
    @SuppressWarnings("deprecation")
    public String getHeaderValue(String name) {
        return headers.getValue(name);
    }

    @Override
    public HttpHeaders getHeaders() {
        return headers;
    }

    @Override
    public Flux<ByteBuffer> getBody() {
        return body.length == 0 ? Flux.empty() : Flux.just(ByteBuffer.wrap(body.clone()));
    }

    @Override
    public Mono<byte[]> getBodyAsByteArray() {
        return body.length == 0 ? Mono.empty() : Mono.just(body.clone());
    }

    @Override
    public Mono<String> getBodyAsString() {
        return getBodyAsString(StandardCharsets.UTF_8);
    }

    @Override
    public Mono<String> getBodyAsString(Charset charset) {
        return body.length == 0 ? Mono.empty() : Mono.just(new String(body, charset));
    }
}
