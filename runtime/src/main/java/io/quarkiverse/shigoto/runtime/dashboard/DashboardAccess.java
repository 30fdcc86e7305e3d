package io.quarkiverse.shigoto.runtime.dashboard;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

/**
 * Whether the dashboard may change anything and whether a form post is genuine. Who may use it at all is
 * {@link DashboardGuard}'s part, on a route of its own before every other.
 * <p>
 * CSRF: a double-submit token. Every page sets a random token cookie (HttpOnly, SameSite=Strict, scoped to the
 * dashboard's path) once, and puts the same token in its forms; a post must carry both, equal. Another site can
 * neither read the cookie nor, with SameSite=Strict, make the browser send it. Cross-site posts are also refused by
 * their {@code Sec-Fetch-Site} header where the browser sends one.
 */
public final class DashboardAccess {

    static final String COOKIE = "shigoto-csrf";
    static final String FIELD = "_csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String base;
    private final boolean readOnly;

    public DashboardAccess(String base, boolean readOnly) {
        this.base = base;
        this.readOnly = readOnly;
    }

    boolean readOnly() {
        return readOnly;
    }

    /** @return the caller's token, set as a cookie first if it has none */
    String token(RoutingContext rc) {
        Cookie cookie = rc.request().getCookie(COOKIE);
        if (cookie != null && !cookie.getValue().isEmpty()) {
            return cookie.getValue();
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        rc.response().addCookie(Cookie.cookie(COOKIE, token).setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
                .setPath(base.isEmpty() ? "/" : base).setSecure(rc.request().isSSL()));
        return token;
    }

    /** @return whether a post carries the caller's token and does not come from another site */
    boolean genuine(RoutingContext rc) {
        String site = rc.request().getHeader("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return false;
        }
        Cookie cookie = rc.request().getCookie(COOKIE);
        String field = rc.request().getFormAttribute(FIELD);
        if (cookie == null || field == null || field.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(cookie.getValue().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                field.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
