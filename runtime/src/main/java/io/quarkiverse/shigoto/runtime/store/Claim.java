package io.quarkiverse.shigoto.runtime.store;

import java.time.Instant;
import java.util.List;

/**
 * What one claim answered.
 *
 * @param jobs the claimed jobs, in the order they should start
 * @param retryAt when a rate limit that held jobs back frees room, or {@code null}
 */
public record Claim(List<ClaimedJob> jobs, Instant retryAt) {
}
