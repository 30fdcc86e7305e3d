package io.quarkiverse.shigoto.runtime.dashboard;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;

/**
 * Where an action sends the browser back to: a page of the dashboard, never another site nor another path of the
 * application. The address is checked the way a browser will resolve it: percent-encoding decoded and dot segments
 * ({@code ..}, {@code %2e%2e}) removed before the prefix check, so {@code /shigoto/../q/metrics} is refused.
 */
final class ReturnAddress {

    private ReturnAddress() {
    }

    /**
     * @param base the dashboard's absolute path, such as {@code /shigoto}
     * @param requested the {@code return} field of a form, or {@code null}
     * @return the address to redirect to: {@code requested} normalised when it lies within the dashboard, else the
     *         dashboard's overview
     */
    static String within(String base, String requested) {
        String home = base.isEmpty() ? "/" : base;
        if (requested == null || requested.isEmpty() || unsafe(requested)) {
            return home;
        }
        URI uri;
        try {
            uri = new URI(requested);
        } catch (URISyntaxException e) {
            return home;
        }
        String path = uri.getPath();
        if (uri.getScheme() != null || uri.getRawAuthority() != null || path == null || unsafe(path)) {
            return home;
        }
        String normal = normalise(path);
        if (normal == null || normal.contains("//") || !(normal.equals(base) || normal.startsWith(base + "/"))) {
            return home;
        }
        try {
            String encoded = new URI(null, null, normal, null).getRawPath();
            return uri.getRawQuery() == null ? encoded : encoded + "?" + uri.getRawQuery();
        } catch (URISyntaxException e) {
            return home;
        }
    }

    /** Backslashes count as slashes for browsers, and control characters have no place in a path. */
    private static boolean unsafe(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** @return the absolute path without {@code .} and {@code ..} segments, or {@code null} when it climbs above / */
    static String normalise(String path) {
        if (!path.startsWith("/")) {
            return null;
        }
        ArrayDeque<String> kept = new ArrayDeque<>();
        String[] segments = path.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            boolean last = i == segments.length - 1;
            if (s.equals(".")) {
                if (last) {
                    kept.addLast("");
                }
            } else if (s.equals("..")) {
                if (kept.isEmpty()) {
                    return null;
                }
                kept.removeLast();
                if (last) {
                    kept.addLast("");
                }
            } else {
                kept.addLast(s);
            }
        }
        return "/" + String.join("/", kept);
    }
}
