package io.quarkiverse.shigoto.runtime.dashboard;

/**
 * A text the dashboard shows at most {@link #LIMIT} characters of: a job's args, meta and result as JSON, an error's
 * message and stack trace. A job carrying megabytes would otherwise make its page and its API answer as big; what is
 * cut is one click away, as the job's full JSON ({@code <path>/api/jobs/<id>?full=true}).
 *
 * @param text the text, cut to {@link #LIMIT} characters and an ellipsis when longer
 * @param length the length of the whole text
 */
public record Excerpt(String text, int length) {

    /** The most characters of one field a job's page or its API answer shows: 64 Ki. */
    public static final int LIMIT = 65_536;

    /** @return the excerpt of a text, {@code null} for none */
    static Excerpt of(String text) {
        if (text == null) {
            return null;
        }
        return new Excerpt(text.length() > LIMIT ? text.substring(0, LIMIT) + "…" : text, text.length());
    }

    /** @return whether the text was cut */
    public boolean cut() {
        return length > LIMIT;
    }

    /** @return the limit, for the page's note */
    public int limit() {
        return LIMIT;
    }
}
