package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobFilter;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.ShigotoException;
import io.quarkiverse.shigoto.Unique;
import io.quarkiverse.shigoto.UniqueOptions;
import io.quarkiverse.shigoto.it.workers.UniqueReportWorker;
import io.quarkiverse.shigoto.runtime.worker.UniqueSpec;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Unique jobs against the real unique index: conflicts answer the existing job, concurrent inserts store one, the key
 * is canonical and hashed, and replace/debounce/period/states behave as documented.
 */
@QuarkusTest
class UniqueJobsTest {

    @Inject
    Shigoto shigoto;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MovableClock clock;

    private static String account() {
        return "acct-" + UUID.randomUUID();
    }

    private JobRequest report(String account) {
        return JobRequest.of(UniqueReportWorker.class).arg("account", account);
    }

    @Test
    void theDatabaseAndTheEngineAgreeOnEveryStateBit() throws Exception {
        // the unique index's predicate reads shigoto_state_bit; UniqueSpec writes the same bits into unique_options
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("SELECT shigoto_state_bit(?::shigoto_job_state)")) {
            for (JobState state : JobState.values()) {
                st.setString(1, state.dbName());
                try (ResultSet rs = st.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).as("bit of %s", state).isEqualTo(UniqueSpec.stateBit(state));
                }
            }
        }
    }

    @Test
    void aSecondInsertAnswersTheFirstJobAsAConflict() {
        String account = account();
        JobView first = shigoto.insert(report(account));
        JobView second = shigoto.insert(report(account));
        assertThat(first.conflict()).isFalse();
        assertThat(second.conflict()).isTrue();
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.state()).isEqualTo(JobState.AVAILABLE);
        assertThat(second.args()).containsEntry("account", account);
    }

    @Test
    void onlyTheChosenArgsKeysCount() {
        String account = account();
        JobView first = shigoto.insert(report(account).arg("page", 1));
        JobView second = shigoto.insert(report(account).arg("page", 2));
        assertThat(second.conflict()).isTrue();
        assertThat(second.id()).isEqualTo(first.id());
    }

    @Test
    void keyOrderAndNumberSpellingDoNotMakeJobsDifferent() {
        String tag = account();
        Map<String, Object> ab = new LinkedHashMap<>();
        ab.put("a", 1);
        ab.put("b", Map.of("x", tag, "y", List.of(1, 2)));
        Map<String, Object> ba = new LinkedHashMap<>();
        ba.put("b", Map.of("y", List.of(1.0, 2), "x", tag));
        ba.put("a", 1L);
        UniqueOptions byArgs = UniqueOptions.by(Unique.Key.WORKER, Unique.Key.ARGS);
        JobView first = shigoto.insert(JobRequest.of("echo").queue("parked").args(ab).unique(byArgs));
        JobView second = shigoto.insert(JobRequest.of("echo").queue("parked").args(ba).unique(byArgs));
        assertThat(second.conflict()).isTrue();
        assertThat(second.id()).isEqualTo(first.id());
    }

    @Test
    void eightThreadsInsertingTheSameJobAThousandTimesStoreOneRow() throws Exception {
        String account = account();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Callable<List<Long>> inserter = () -> {
                    List<Long> ids = new ArrayList<>();
                    for (int i = 0; i < 125; i++) {
                        ids.add(shigoto.insert(report(account)).id());
                    }
                    return ids;
                };
                results.add(pool.submit(inserter));
            }
            List<Long> ids = new ArrayList<>();
            for (Future<List<Long>> f : results) {
                ids.addAll(f.get(2, TimeUnit.MINUTES));
            }
            assertThat(ids).hasSize(1000).containsOnly(ids.get(0));
        } finally {
            pool.shutdownNow();
        }
        assertThat(JobRows.single(dataSource, "SELECT count(*) FROM shigoto_jobs WHERE args->>'account' = ?", account))
                .isEqualTo(1);
    }

    @Test
    void concurrentInsertAllsOfTheSameKeysInShuffledOrderNeverDeadlock() throws Exception {
        for (int round = 0; round < 3; round++) {
            String prefix = account();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<List<JobView>>> results = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    List<JobRequest> requests = new ArrayList<>();
                    for (int k = 0; k < 50; k++) {
                        requests.add(report(prefix + "-" + k));
                        requests.add(report(prefix + "-" + k));
                    }
                    Collections.shuffle(requests, new Random(31L * round + t));
                    results.add(pool.submit(() -> {
                        start.await();
                        return shigoto.insertAll(requests);
                    }));
                }
                start.countDown();
                Set<Long> ids = new HashSet<>();
                for (Future<List<JobView>> f : results) {
                    List<JobView> views = f.get(2, TimeUnit.MINUTES);
                    assertThat(views).hasSize(100);
                    views.forEach(v -> ids.add(v.id()));
                }
                assertThat(ids).hasSize(50);
            } finally {
                pool.shutdownNow();
            }
            assertThat(JobRows.single(dataSource,
                    "SELECT count(*) FROM shigoto_jobs WHERE args->>'account' LIKE ?", prefix + "-%")).isEqualTo(50);
        }
    }

    @Test
    void aDeadlockInTheCallersTransactionIsReportedNotRetried() throws Exception {
        String a = account(), b = account();
        CountDownLatch firstInserted = new CountDownLatch(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // each transaction holds one key and then asks for the other's: PostgreSQL must abort one of them
            Future<?> ab = pool.submit(() -> crossInsert(a, b, firstInserted));
            Future<?> ba = pool.submit(() -> crossInsert(b, a, firstInserted));
            List<Throwable> failures = new ArrayList<>();
            for (Future<?> f : List.of(ab, ba)) {
                try {
                    f.get(1, TimeUnit.MINUTES);
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            assertThat(failures).hasSize(1);
            assertThat(failures.get(0)).isInstanceOf(ShigotoException.class)
                    .hasMessageContaining("rolled back the caller's transaction")
                    .hasMessageContaining("retry the whole transaction");
        } finally {
            pool.shutdownNow();
        }
        // the survivor committed both keys; the victim stored nothing
        assertThat(JobRows.single(dataSource, "SELECT count(*) FROM shigoto_jobs WHERE args->>'account' IN (?, ?)", a,
                b)).isEqualTo(2);
    }

    private void crossInsert(String first, String second, CountDownLatch firstInserted) {
        QuarkusTransaction.requiringNew().run(() -> {
            shigoto.insert(report(first));
            firstInserted.countDown();
            try {
                firstInserted.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            shigoto.insert(report(second));
        });
    }

    @Test
    void insertAllStoresEachKeyOnceAndAnswersTheRestAsConflicts() {
        String a = account();
        String b = account();
        JobView existing = shigoto.insert(report(a));
        List<JobView> views = shigoto.insertAll(List.of(report(a), report(b), report(b), report(account())));
        assertThat(views).hasSize(4);
        assertThat(views.get(0).conflict()).isTrue();
        assertThat(views.get(0).id()).isEqualTo(existing.id());
        assertThat(views.get(1).conflict()).isFalse();
        assertThat(views.get(2).conflict()).isTrue();
        assertThat(views.get(2).id()).isEqualTo(views.get(1).id());
        assertThat(views.get(3).conflict()).isFalse();
    }

    @Test
    void aConflictReplacesWhatTheWorkerSaysBeforeTheJobStarts() {
        String account = account();
        JobView first = shigoto.insert(report(account).priority(1));
        JobView second = shigoto.insert(report(account).priority(7).arg("page", 9));
        assertThat(second.conflict()).isTrue();
        assertThat(second.priority()).isEqualTo(7);
        assertThat(second.args()).doesNotContainKey("page");
        assertThat(shigoto.job(first.id()).orElseThrow().priority()).isEqualTo(7);
    }

    @Test
    void replaceCanChangeArgsTagsMetaAndTheDueTimeOfAWaitingJob() {
        String token = account();
        UniqueOptions replacing = UniqueOptions.by(Unique.Key.WORKER, Unique.Key.ARGS).argsKeys("token")
                .replace(Unique.Replace.ARGS, Unique.Replace.TAGS, Unique.Replace.META, Unique.Replace.SCHEDULED_AT,
                        Unique.Replace.MAX_ATTEMPTS);
        JobView first = shigoto.insert(JobRequest.of("echo").queue("parked").arg("token", token).arg("v", 1)
                .tags("old").meta(Map.of("m", 1)).unique(replacing));
        Instant later = clock.instant().plus(Duration.ofHours(2));
        JobView second = shigoto.insert(JobRequest.of("echo").queue("parked").arg("token", token).arg("v", 2)
                .tags("new").meta(Map.of("m", 2)).maxAttempts(9).scheduledAt(later).unique(replacing));
        assertThat(second.conflict()).isTrue();
        assertThat(second.id()).isEqualTo(first.id());
        JobView stored = shigoto.job(first.id()).orElseThrow();
        assertThat(stored.args()).containsEntry("v", 2);
        assertThat(stored.tags()).containsExactly("new");
        assertThat(stored.meta()).isEqualTo(Map.of("m", 2));
        assertThat(stored.maxAttempts()).isEqualTo(9);
        assertThat(stored.state()).as("due later now").isEqualTo(JobState.SCHEDULED);
        // PostgreSQL keeps microseconds, rounding the nanoseconds
        assertThat(stored.scheduledAt()).isCloseTo(later, within(1, java.time.temporal.ChronoUnit.MICROS));
    }

    @Test
    void debouncePushesTheWaitingJobToAfterTheLastInsert() {
        String account = account();
        UniqueOptions debounced = UniqueOptions.by(Unique.Key.WORKER, Unique.Key.ARGS).debounce(Duration.ofMinutes(5));
        Instant before = clock.instant();
        JobView first = shigoto.insert(report(account).unique(debounced));
        assertThat(first.state()).isEqualTo(JobState.SCHEDULED);
        assertThat(first.scheduledAt()).isAfterOrEqualTo(before.plus(Duration.ofMinutes(5)));
        clock.advance(Duration.ofMinutes(1));
        JobView second = shigoto.insert(report(account).unique(debounced));
        assertThat(second.conflict()).isTrue();
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.scheduledAt()).isAfterOrEqualTo(first.scheduledAt().plus(Duration.ofMinutes(1)));
    }

    @Test
    void aJobThatLeftTheBlockingStatesNoLongerBlocks() {
        UniqueOptions whileAvailable = UniqueOptions.by(Unique.Key.WORKER, Unique.Key.ARGS).states(JobState.AVAILABLE);
        String token = account();
        JobView first = shigoto.insert(JobRequest.of("echo").arg("token", token).unique(whileAvailable));
        awaitState(shigoto, first.id(), JobState.COMPLETED);
        JobView second = shigoto.insert(JobRequest.of("echo").arg("token", token).unique(whileAvailable));
        assertThat(second.conflict()).isFalse();
        assertThat(second.id()).isNotEqualTo(first.id());
    }

    @Test
    void completedStatesBlockWhenListedAndPeriodsSeparateWindows() {
        UniqueOptions hourly = UniqueOptions.by(Unique.Key.WORKER, Unique.Key.ARGS)
                .states(JobState.AVAILABLE, JobState.EXECUTING, JobState.COMPLETED).period(Duration.ofHours(1));
        String token = account();
        JobView first = shigoto.insert(JobRequest.of("echo").arg("token", token).unique(hourly));
        awaitState(shigoto, first.id(), JobState.COMPLETED);
        assertThat(shigoto.insert(JobRequest.of("echo").arg("token", token).unique(hourly)).conflict()).isTrue();
        clock.advance(Duration.ofHours(1));
        JobView nextHour = shigoto.insert(JobRequest.of("echo").arg("token", token).unique(hourly));
        assertThat(nextHour.conflict()).isFalse();
    }

    @Test
    void noneTurnsOffTheWorkersUniqueness() {
        String account = account();
        JobView first = shigoto.insert(report(account));
        JobView second = shigoto.insert(report(account).unique(UniqueOptions.none()));
        assertThat(second.conflict()).isFalse();
        assertThat(second.id()).isNotEqualTo(first.id());
    }

    @Test
    void theStoredKeyIsAHashThatDoesNotContainTheArgs() throws Exception {
        String account = account();
        JobView job = shigoto.insert(report(account));
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("SELECT unique_key FROM shigoto_jobs WHERE id = ?")) {
            st.setLong(1, job.id());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                byte[] key = rs.getBytes(1);
                assertThat(key).hasSize(32);
                assertThat(new String(key, StandardCharsets.ISO_8859_1)).doesNotContain(account);
            }
        }
        assertThat(shigoto.jobs(JobFilter.all().args(Map.of("account", account)), 0, 10)).hasSize(1);
    }

    @Test
    void aDueJobWhoseKeyIsHeldMeanwhileIsCancelledAsADuplicateNamingTheHolder() {
        UniqueOptions whileAvailable = UniqueOptions.by(Unique.Key.WORKER, Unique.Key.ARGS).states(JobState.AVAILABLE);
        String token = account();
        JobView later = shigoto.insert(JobRequest.of("echo").queue("parked").arg("token", token)
                .scheduleIn(Duration.ofMinutes(1)).unique(whileAvailable));
        JobView now = shigoto.insert(JobRequest.of("echo").queue("parked").arg("token", token).unique(whileAvailable));
        assertThat(now.conflict()).as("a scheduled job does not block with states=[AVAILABLE]").isFalse();
        clock.advance(Duration.ofMinutes(2));
        JobView duplicate = awaitState(shigoto, later.id(), JobState.CANCELLED);
        assertThat(duplicate.errors()).last().satisfies(e -> {
            assertThat(e.type()).isEqualTo("unique-conflict");
            assertThat(e.message()).isEqualTo("a duplicate of job " + now.id() + ", which holds the unique key");
        });
        assertThat(shigoto.job(now.id()).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
    }

    @Test
    void aRetryThatWouldDuplicateAWaitingJobIsLeftAlone() {
        String account = account();
        JobView first = shigoto.insert(report(account));
        assertThat(shigoto.cancel(first.id())).isTrue();
        JobView second = shigoto.insert(report(account));
        assertThat(second.conflict()).isFalse();
        assertThat(shigoto.retry(first.id())).isFalse();
        assertThat(shigoto.job(first.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        shigoto.cancel(second.id());
        assertThat(shigoto.retry(first.id())).as("the key is free again").isTrue();
    }

    @Test
    void inconsistentStatesAreRejectedNamingWhatIsMissing() {
        UniqueOptions executingOnly = UniqueOptions.by(Unique.Key.WORKER).states(JobState.EXECUTING);
        assertThatThrownBy(() -> shigoto.insert(JobRequest.of("echo").queue("parked").unique(executingOnly)))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("EXECUTING needs AVAILABLE");
        UniqueOptions completedOnly = UniqueOptions.by(Unique.Key.WORKER).states(JobState.COMPLETED);
        assertThatThrownBy(() -> shigoto.insert(JobRequest.of("echo").queue("parked").unique(completedOnly)))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("COMPLETED needs EXECUTING");
    }

    @Test
    void aNewUniqueJobWakesItsQueueOnEveryNode() throws Exception {
        String queue = "wake-" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = dataSource.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("LISTEN shigoto_insert_public");
            shigoto.insert(JobRequest.of("echo").queue(queue).arg("token", queue)
                    .unique(UniqueOptions.by(Unique.Key.WORKER, Unique.Key.ARGS)));
            PGNotification[] woken = c.unwrap(PGConnection.class).getNotifications(5_000);
            assertThat(woken).extracting(PGNotification::getParameter).contains(queue);
        }
    }
}
