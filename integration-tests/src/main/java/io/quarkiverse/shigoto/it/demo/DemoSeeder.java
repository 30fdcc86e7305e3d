package io.quarkiverse.shigoto.it.demo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.EchoWorker;
import io.quarkiverse.shigoto.it.workers.InvoiceArgs;
import io.quarkiverse.shigoto.it.workers.ResizeArgs;
import io.quarkiverse.shigoto.it.workers.ScriptedWorker;
import io.quarkiverse.shigoto.it.workers.SendInvoiceWorker;
import io.quarkiverse.shigoto.it.workers.SerialWorker;
import io.quarkiverse.shigoto.it.workers.ThumbnailWorker;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Keeps the demo busy: with {@code shigoto.demo.seed=true} it inserts a mix of jobs every few seconds (some
 * complete, some fail and retry, some snooze, some are scheduled for later), and now and then a job of the
 * {@code broadcast} queue.
 */
@Singleton
public class DemoSeeder {

    private static final Logger LOG = Logger.getLogger(DemoSeeder.class);

    @Inject
    Shigoto shigoto;

    @ConfigProperty(name = "shigoto.demo.seed", defaultValue = "false")
    boolean seed;

    @ConfigProperty(name = "shigoto.demo.seed-interval", defaultValue = "3s")
    Duration interval;

    private ScheduledExecutorService timer;
    private long token;
    private long ticks;

    void start(@Observes StartupEvent event) {
        if (!seed) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "demo-seeder"));
        timer.scheduleWithFixedDelay(this::insertSome, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.infof("Demo seeder inserts sample jobs every %s", interval);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void insertSome() {
        try {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            shigoto.insertAll(List.of(
                    JobRequest.of(EchoWorker.class).args(Map.of("greeting", "hello", "n", random.nextInt(1000))),
                    JobRequest.of(SerialWorker.class).priority(random.nextInt(-5, 6)),
                    JobRequest.of(ScriptedWorker.class).args(Map.of("outcome", "error", "untilAttempt", 2,
                            "token", ++token)).tags("demo", "flaky"),
                    JobRequest.of(ScriptedWorker.class).args(Map.of("outcome", "snooze", "seconds", 5, "untilRun", 2,
                            "token", ++token)),
                    JobRequest.of(EchoWorker.class).scheduleIn(Duration.ofSeconds(random.nextInt(5, 60)))
                            .tags("later"),
                    // typed args: a record with nested records, and a plain class whose result is a record
                    JobRequest.of(SendInvoiceWorker.class, new InvoiceArgs(random.nextLong(1, 100_000), "EUR",
                            List.of(new InvoiceArgs.Line("SKU-" + random.nextInt(100), random.nextInt(1, 5))))),
                    JobRequest.of(ThumbnailWorker.class, new ResizeArgs("photo-" + ++token + ".png", 128, null))));
            if (++ticks % 10 == 1) {
                // a broadcast queue: every node running it performs the job once (one node in the demo)
                shigoto.insert(JobRequest.of(EchoWorker.class).queue("broadcast")
                        .args(Map.of("greeting", "drop your caches", "n", ticks)).tags("demo", "broadcast"));
            }
        } catch (RuntimeException e) {
            LOG.warn("Demo seeder could not insert jobs", e);
        }
    }
}
