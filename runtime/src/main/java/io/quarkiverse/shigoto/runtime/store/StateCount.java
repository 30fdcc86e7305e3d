package io.quarkiverse.shigoto.runtime.store;

/**
 * How many jobs are in a state, for the overview's cards.
 *
 * @param state the state, lower case
 * @param count the count
 * @param estimated whether the count is the planner's estimate rather than an exact count
 */
public record StateCount(String state, long count, boolean estimated) {
}
