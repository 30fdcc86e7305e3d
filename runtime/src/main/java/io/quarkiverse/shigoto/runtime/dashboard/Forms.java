package io.quarkiverse.shigoto.runtime.dashboard;

/**
 * What a page needs for its forms.
 *
 * @param csrf the token every form posts back, or {@code null} when the dashboard is read-only (no forms then)
 * @param flash the result of the action that led here, or {@code null}
 */
public record Forms(String csrf, String flash) {

    /** @return whether the page offers actions */
    public boolean actions() {
        return csrf != null;
    }
}
