package io.quarkiverse.shigoto.runtime.store;

/**
 * The limits of one job kind, as the limited claim checks them.
 *
 * @param kind the kind (also its jobs' limit key)
 * @param concurrency how many may execute at once across the cluster; 0 for no limit
 * @param rateLimit how many attempts may start per {@code perMillis}; 0 for no rate limit
 * @param perMillis the rate limit's sliding window
 */
public record KindLimit(String kind, int concurrency, int rateLimit, long perMillis) {
}
