package io.quarkiverse.shigoto.runtime.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.quarkiverse.shigoto.CronView;
import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.Names;
import io.quarkiverse.shigoto.runtime.config.ShigotoConfig.CronConfig;
import io.quarkiverse.shigoto.runtime.store.CronStore.CronRow;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;
import io.quarkiverse.shigoto.runtime.worker.WorkerDefinition;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * The cron entries of this application: those of {@code @Job(cron)} workers and those configured under
 * {@code quarkus.shigoto.cron."name"}, a configured entry changing the worker entry of the same name. Resolved once at
 * start; every problem of every entry fails the start together.
 */
public final class CronEntries {

    private final List<CronEntry> all;

    private CronEntries(List<CronEntry> all) {
        this.all = List.copyOf(all);
    }

    /** @return a table of the given entries, for tests that tick their own */
    public static CronEntries of(List<CronEntry> entries) {
        return new CronEntries(entries);
    }

    /**
     * @param config the configured entries by name
     * @param catchUp the default catch-up window
     * @param catalog the workers, whose {@code @Job(cron)} entries come first and whose kinds entries must name
     * @return the entries, sorted by name
     * @throws ConfigurationException listing every problem, each with its entry's configuration key
     */
    public static CronEntries resolve(Map<String, CronConfig> config, Duration catchUp, WorkerCatalog catalog) {
        Map<String, WorkerDefinition> annotated = new TreeMap<>();
        for (WorkerDefinition d : catalog.all()) {
            if (d.cron() != null) {
                annotated.put(d.kind(), d);
            }
        }
        Map<String, CronConfig> configured = new TreeMap<>(config);
        Set<String> names = new TreeSet<>(annotated.keySet());
        names.addAll(configured.keySet());
        List<CronEntry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String name : names) {
            Resolver r = new Resolver(name, annotated.get(name), configured.get(name), catchUp, catalog, problems);
            CronEntry entry = r.entry();
            if (entry != null) {
                entries.add(entry);
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Invalid shigoto cron entries (" + problems.size() + " problems):\n  - "
                    + String.join("\n  - ", problems));
        }
        return new CronEntries(entries);
    }

    /** @return every entry, enabled or not, sorted by name */
    public List<CronEntry> all() {
        return all;
    }

    /** @return the entries that run */
    public List<CronEntry> enabled() {
        return all.stream().filter(CronEntry::enabled).toList();
    }

    /**
     * @param rows the stored state of the entries by name
     * @param catalog the workers, for the queue an entry's jobs go to by default
     * @return every entry with its last run and, when it runs, its next
     */
    public List<CronView> views(Map<String, CronRow> rows, WorkerCatalog catalog, Instant now) {
        List<CronView> views = new ArrayList<>(all.size());
        Instant currentMinute = now.truncatedTo(ChronoUnit.MINUTES);
        for (CronEntry e : all) {
            CronRow row = rows.get(e.name());
            // a row kept for another schedule is restarted at the next tick: its cursor and last run are not this one's
            boolean current = row != null && row.schedule().equals(e.scheduleKey());
            Instant handled = current ? row.handledThrough() : null;
            Instant from = handled != null && !handled.isBefore(currentMinute) ? handled : currentMinute.minusNanos(1);
            String queue = e.queue() != null ? e.queue()
                    : catalog.byKind(e.kind()).map(WorkerDefinition::queue).orElse(null);
            views.add(new CronView(e.name(), e.kind(), e.schedule().expression(), e.schedule().zone().getId(), queue,
                    e.enabled(), e.catchUp(), row == null ? null : row.lastRunAt(),
                    row == null ? null : row.lastJobId(), e.enabled() ? e.schedule().next(from) : null));
        }
        return views;
    }

    /** Reads one entry, adding its problems to the list. */
    private static final class Resolver {

        private final String name;
        private final WorkerDefinition worker;
        private final Optional<CronConfig> config;
        private final Duration catchUp;
        private final WorkerCatalog catalog;
        private final List<String> problems;
        private final int before;

        Resolver(String name, WorkerDefinition worker, CronConfig config, Duration catchUp, WorkerCatalog catalog,
                List<String> problems) {
            this.name = name;
            this.worker = worker;
            this.config = Optional.ofNullable(config);
            this.catchUp = catchUp;
            this.catalog = catalog;
            this.problems = problems;
            this.before = problems.size();
        }

        CronEntry entry() {
            check("name", Names.problem(name));
            String kind = config.flatMap(CronConfig::kind).orElse(worker != null ? worker.kind() : name);
            if (catalog.byKind(kind).isEmpty()) {
                problem("kind", "'" + kind + "' is the kind of no @Job worker of this application (known kinds: "
                        + String.join(", ", catalog.kinds()) + ")");
            }
            CronSchedule schedule = schedule();
            Map<String, Object> args = args();
            String queue = config.flatMap(CronConfig::queue).orElse(null);
            if (queue != null) {
                check("queue", Names.problem(queue));
            }
            Integer priority = config.isPresent() && config.get().priority().isPresent()
                    ? config.get().priority().getAsInt()
                    : null;
            if (priority != null && (priority < Job.MIN_PRIORITY || priority > Job.MAX_PRIORITY)) {
                problem("priority", "must be between " + Job.MIN_PRIORITY + " and " + Job.MAX_PRIORITY + ", was "
                        + priority);
            }
            List<String> tags = config.flatMap(CronConfig::tags).orElse(null);
            if (tags != null && tags.stream().anyMatch(String::isBlank)) {
                problem("tags", "must not be blank");
            }
            Duration window = config.flatMap(CronConfig::catchUp).orElse(catchUp);
            if (window.isNegative()) {
                problem("catch-up", "must not be negative, was " + window);
            }
            if (problems.size() > before) {
                return null;
            }
            return new CronEntry(name, schedule, kind, args, queue, priority, tags, window,
                    config.map(CronConfig::enabled).orElse(true));
        }

        private CronSchedule schedule() {
            Optional<String> text = config.flatMap(CronConfig::schedule);
            if (text.isEmpty() && worker == null) {
                problem("schedule", "is missing (every entry needs one, such as @daily or 0 3 * * *)");
                return null;
            }
            String expression = text.isPresent() ? text.get() : worker.cron();
            Optional<String> zoneText = config.flatMap(CronConfig::timezone);
            ZoneId zone;
            try {
                zone = CronSchedule.zone(zoneText.orElse(worker == null ? null : worker.cronTimezone()));
            } catch (IllegalArgumentException e) {
                problem("timezone", e.getMessage());
                return null;
            }
            try {
                return CronSchedule.parse(expression, zone);
            } catch (IllegalArgumentException e) {
                problem("schedule", "'" + expression + "' is invalid: " + e.getMessage());
                return null;
            }
        }

        private Map<String, Object> args() {
            Optional<String> json = config.flatMap(CronConfig::args);
            if (json.isEmpty() || json.get().isBlank()) {
                return Map.of();
            }
            try {
                return JsonCodec.readObject(json.get());
            } catch (IllegalArgumentException e) {
                problem("args", "is not a JSON object: " + e.getMessage());
                return Map.of();
            }
        }

        private void check(String key, String problem) {
            if (problem != null) {
                problem(key, problem);
            }
        }

        private void problem(String key, String message) {
            problems.add("quarkus.shigoto.cron.\"" + name + "\"." + key + " " + message);
        }
    }
}
