package dev.dataenc.console;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty gives before a request reaches Javalin (a malformed URI, a URI or headers too long, a bad
 * message): one plain-text line with the status, and the same security headers as every other answer, instead of
 * Jetty's HTML error page without them.
 */
final class ErrorAnswers extends ErrorHandler {

    private final SecurityHeaders headers;

    ErrorAnswers(SecurityHeaders headers) {
        this.headers = headers;
        setShowStacks(false);
        setShowCauses(false);
        setShowMessageInTitle(false);
        setShowOrigin(false);
        setCacheControl("no-store");
    }

    static String line(int code) {
        String reason = HttpStatus.getMessage(code);
        String why = code == 404 ? ""
                : code == 505 ? ": send HTTP/1.1; nothing was done"
                : code >= 500 ? ": internal error; see the console's log"
                : ": the request is malformed or too large; nothing was done";
        return code + " " + (reason == null ? "" : reason) + why + "\n";
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        HttpFields.Mutable fields = response.getHeaders();
        headers.addTo(fields::put);
        fields.put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.write(true, ByteBuffer.wrap(line(code).getBytes(StandardCharsets.UTF_8)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        headers.addTo(fields::put);
        fields.put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        return ByteBuffer.wrap(line(status).getBytes(StandardCharsets.UTF_8));
    }
}
