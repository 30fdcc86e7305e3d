package io.quarkiverse.shigoto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Every public method that takes a collection or an array accepts every kind of collection (the immutable ones of
 * {@code List.of} and {@code Set.of} answer {@code contains(null)} with a {@code NullPointerException}) and refuses
 * {@code null}, and {@code null} elements, with an {@link InvalidJobException}.
 */
class CollectionArgumentsTest {

    @Test
    void filterStatesTakeEveryKindOfCollection() {
        for (Collection<JobState> states : List.<Collection<JobState>> of(List.of(JobState.COMPLETED),
                Set.of(JobState.COMPLETED), Arrays.asList(JobState.COMPLETED), EnumSet.of(JobState.COMPLETED),
                new LinkedHashSet<>(List.of(JobState.COMPLETED)))) {
            assertThat(JobFilter.all().states(states).states()).containsExactly(JobState.COMPLETED);
        }
        assertThat(JobFilter.all().matchesNothing()).isFalse();
        assertThat(JobFilter.all().states(JobState.COMPLETED).matchesNothing()).isFalse();
    }

    @Test
    void anEmptyListOfKindsWorkersQueuesOrStatesMatchesNothingInsteadOfEverything() {
        assertThat(JobFilter.all().states(List.of()).matchesNothing()).isTrue();
        assertThat(JobFilter.all().states(EnumSet.noneOf(JobState.class)).matchesNothing()).isTrue();
        assertThat(JobFilter.all().states(new JobState[0]).matchesNothing()).isTrue();
        assertThat(JobFilter.all().kinds(List.of()).matchesNothing()).isTrue();
        assertThat(JobFilter.all().queues(Set.of()).matchesNothing()).isTrue();
        assertThat(JobFilter.all().worker().matchesNothing()).isTrue();
        // a later list replaces the empty one
        assertThat(JobFilter.all().kinds(List.of()).kinds("a").matchesNothing()).isFalse();
        assertThat(JobFilter.all().queues(List.of()).toString()).contains("queues=[]", "kinds=any", "matches nothing");
    }

    @Test
    void anEmptyListOfRequiredTagsIsRefused() {
        String message = "filter tags must name at least one tag: requiring none would select every job"
                + " (JobFilter.all() does that explicitly)";
        assertInvalid(() -> JobFilter.all().tags(List.of()), message);
        assertInvalid(() -> JobFilter.all().tags(new String[0]), message);
    }

    @Test
    void filterStatesRefuseNullAndNullElements() {
        assertInvalid(() -> JobFilter.all().states((Collection<JobState>) null), "filter states must not be null");
        assertInvalid(() -> JobFilter.all().states((JobState[]) null), "filter states must not be null");
        assertInvalid(() -> JobFilter.all().states(Arrays.asList(JobState.COMPLETED, null)),
                "filter states must not contain null");
        assertInvalid(() -> JobFilter.all().states(JobState.COMPLETED, null), "filter states must not contain null");
    }

    @Test
    void filterKindsQueuesAndTagsTakeCollectionsAndArrays() {
        for (Collection<String> names : List.<Collection<String>> of(List.of("a"), Set.of("a"), Arrays.asList("a"))) {
            JobFilter f = JobFilter.all().kinds(names).queues(names).tags(names);
            assertThat(f.kinds()).containsExactly("a");
            assertThat(f.queues()).containsExactly("a");
            assertThat(f.tags()).containsExactly("a");
        }
        assertThat(JobFilter.all().kinds("a", "b").queues("q").tags("t").kinds()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void filterKindsQueuesTagsAndWorkersRefuseNull() {
        assertInvalid(() -> JobFilter.all().kinds((String[]) null), "filter kinds must not be null");
        assertInvalid(() -> JobFilter.all().kinds((Collection<String>) null), "filter kinds must not be null");
        assertInvalid(() -> JobFilter.all().kinds(Arrays.asList("a", null)), "filter kinds must not contain null");
        assertInvalid(() -> JobFilter.all().queues((String[]) null), "filter queues must not be null");
        assertInvalid(() -> JobFilter.all().queues(Arrays.asList("q", null)), "filter queues must not contain null");
        assertInvalid(() -> JobFilter.all().tags((String[]) null), "filter tags must not be null");
        assertInvalid(() -> JobFilter.all().tags(Arrays.asList("t", null)), "filter tags must not contain null");
        assertInvalid(() -> JobFilter.all().tags(List.of(" ")), "filter tags must not be blank");
        assertInvalid(() -> JobFilter.all().worker((Class<? extends JobWorker>[]) null),
                "filter workers must not be null");
        assertInvalid(() -> JobFilter.all().worker(Sample.class, null), "filter workers must not contain null");
        assertThat(JobFilter.all().worker(Sample.class, Sample.class).workers()).containsExactly(Sample.class);
    }

    @Test
    void dependsOnTakesEveryKindOfCollection() {
        for (Collection<Long> ids : List.<Collection<Long>> of(List.of(1L, 2L), Set.of(1L, 2L), Arrays.asList(1L, 2L),
                new LinkedHashSet<>(List.of(1L, 2L)))) {
            assertThat(JobRequest.of("echo").dependsOn(ids).dependsOn()).containsExactlyInAnyOrder(1L, 2L);
        }
        assertThat(JobRequest.of("echo").dependsOn(List.of()).hasDependencies()).isFalse();
        assertThat(JobRequest.of("echo").dependsOn(new long[0]).hasDependencies()).isFalse();
    }

    @Test
    void dependsOnRefusesNullAndNullElements() {
        assertInvalid(() -> JobRequest.of("echo").dependsOn((Collection<Long>) null), "dependsOn must not be null");
        assertInvalid(() -> JobRequest.of("echo").dependsOn((long[]) null), "dependsOn must not be null");
        assertInvalid(() -> JobRequest.of("echo").dependsOn(Arrays.asList(1L, null)),
                "dependsOn must not contain null");
    }

    @Test
    void requestTagsTakeEveryKindOfCollection() {
        for (Collection<String> tags : List.<Collection<String>> of(List.of("a"), Set.of("a"), Arrays.asList("a"))) {
            assertThat(JobRequest.of("echo").tags(tags).tags()).containsExactly("a");
        }
        assertThat(JobRequest.of("echo").tags(List.of()).tags()).isEmpty();
        assertThat(JobRequest.of("echo").tags(new String[0]).tags()).isEmpty();
        assertInvalid(() -> JobRequest.of("echo").tags((Collection<String>) null), "tags must not be null");
        assertInvalid(() -> JobRequest.of("echo").tags((String[]) null), "tags must not be null");
    }

    @Test
    void uniqueOptionsArraysRefuseNull() {
        UniqueOptions base = UniqueOptions.by(Unique.Key.ARGS);
        assertInvalid(() -> UniqueOptions.by((Unique.Key[]) null), "unique keys must name at least one of "
                + Arrays.toString(Unique.Key.values()));
        assertInvalid(() -> UniqueOptions.by(Unique.Key.ARGS, null), "unique keys must not contain null");
        assertInvalid(() -> base.argsKeys((String[]) null), "unique argsKeys must not be null");
        assertInvalid(() -> base.argsKeys("a", null), "unique argsKeys must not be empty");
        assertInvalid(() -> base.states((JobState[]) null), "unique states must name at least one state");
        assertInvalid(() -> base.states(JobState.AVAILABLE, null), "unique states must not contain null");
        assertInvalid(() -> base.replace((Unique.Replace[]) null), "unique replace must not be null");
        assertInvalid(() -> base.replace(Unique.Replace.ARGS, null), "unique replace must not contain null");
        assertThat(base.argsKeys().isEmpty()).isTrue();
        assertThat(base.replace().isEmpty()).isTrue();
        assertThat(base.replace(new Unique.Replace[0]).replace()).isEmpty();
    }

    private static void assertInvalid(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOf(InvalidJobException.class).hasMessage(message);
    }

    static final class Sample implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }
}
