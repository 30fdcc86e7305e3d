package io.quarkiverse.shigoto.runtime.dashboard;

/**
 * What a page needs for its forms.
 *
 * @param csrf the token every form posts back, or {@code null} when the dashboard is read-only (no forms then)
 * @param flash the result of the action that led here, or {@code null}
 * @param notice how the action ended when it was not done: {@link #REFUSED} (what a {@code 4xx} says: the input or
 *        the job's state did not allow it) or {@link #FAILED} (a {@code 5xx}); {@code null} when it was done
 */
public record Forms(String csrf, String flash, String notice) {

    /** The action was refused: bad input, or a state that does not allow it. */
    public static final String REFUSED = "refused";
    /** The action failed on the server's side. */
    public static final String FAILED = "failed";

    /** @return the notice a page's {@code notice} parameter names, or {@code null} for anything else */
    static String notice(String param) {
        return REFUSED.equals(param) || FAILED.equals(param) ? param : null;
    }

    /** @return whether the page offers actions */
    public boolean actions() {
        return csrf != null;
    }
}
