package dev.dataenc.console.pages;

import dev.dataenc.console.auth.Authentication;
import dev.dataenc.console.auth.Csrf;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

import java.util.HashMap;
import java.util.Map;

/**
 * Renders the console's pages: jte templates from {@code src/main/jte}, compiled to classes at build time (nothing is
 * compiled at run time), HTML-escaped by the engine.
 */
public final class Templates {

    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    /**
     * Renders {@code template} ({@code "overview"} for {@code overview.jte}) as the response, with a {@link PageContext}
     * as parameter {@code page} besides {@code params}.
     */
    public void render(Context ctx, String template, String title, String section, Map<String, Object> params) {
        Map<String, Object> all = new HashMap<>(params);
        all.put("page", new PageContext(title, section, Authentication.principal(ctx).name(),
                ctx.req().getSession(false) == null ? "" : Csrf.token(ctx)));
        renderPlain(ctx, template, all);
    }

    /** Renders {@code template} with exactly {@code params} (the sign-in page, which has no frame). */
    public void renderPlain(Context ctx, String template, Map<String, Object> params) {
        StringOutput out = new StringOutput();
        engine.render(template + ".jte", params, out);
        ctx.html(out.toString());
    }
}
