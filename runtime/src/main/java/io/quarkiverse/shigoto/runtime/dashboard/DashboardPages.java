package io.quarkiverse.shigoto.runtime.dashboard;

import java.util.List;

import io.quarkiverse.shigoto.BatchView;
import io.quarkiverse.shigoto.CircuitBreakerView;
import io.quarkiverse.shigoto.Delivery;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.WorkflowView;
import io.quarkiverse.shigoto.runtime.store.BatchStore;
import io.quarkiverse.shigoto.runtime.store.BroadcastStore;
import io.quarkiverse.shigoto.runtime.store.DashboardReads;
import io.quarkiverse.shigoto.runtime.store.StateCount;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The dashboard's pages, type-checked at build time against {@code templates/shigoto/}. Every page gets the
 * dashboard's absolute path ({@code base}), what its forms need ({@code forms}) and what its live updates watch
 * ({@code watch}: the query of its event stream, empty for none).
 */
@CheckedTemplate(basePath = "shigoto")
final class DashboardPages {

    private DashboardPages() {
    }

    /**
     * @param base the dashboard's absolute path, for links
     * @param forms the CSRF token and the result of the last action
     * @param states job counts by state
     * @param queues every queue the cluster knows, with its waiting and running jobs
     * @param nodes the nodes that heartbeat within the last hour
     * @param chart completed and failed jobs per minute over the last hour
     * @param stuck how many jobs execute on lost nodes, waiting to be rescued
     * @param leader the node that leads the cluster's maintenance, or {@code null} while none does
     */
    static native TemplateInstance overview(String base, Forms forms, String watch, List<StateCount> states,
            List<QueueRow> queues, List<NodeRow> nodes, Throughput chart, long stuck, String leader);

    /**
     * @param base the dashboard's absolute path
     * @param forms the CSRF token and the result of the last action
     * @param queues every queue the cluster knows, with its waiting and running jobs
     * @param breakers the circuit breaker of every kind that has one, by kind
     */
    static native TemplateInstance queues(String base, Forms forms, String watch, List<QueueRow> queues,
            List<CircuitBreakerView> breakers);

    /**
     * @param base the dashboard's absolute path
     * @param forms the CSRF token and the result of the last action
     * @param name the queue's name
     * @param rows the queue, or nothing when the cluster does not know it
     * @param nodes the nodes running it
     * @param partitions its partition keys with available or executing jobs, most available first
     * @param more how many more keys there are than shown
     * @param capped whether counting stopped at its cap
     * @param noKeyAvailable its available jobs without a partition key ("?" when not known exactly)
     * @param noKeyExecuting its executing jobs without a partition key
     */
    static native TemplateInstance queue(String base, Forms forms, String watch, String name, List<QueueRow> rows,
            List<NodeRow> nodes, List<DashboardReads.PartitionCount> partitions, int more, boolean capped,
            String noKeyAvailable, long noKeyExecuting);

    /**
     * @param base the dashboard's absolute path
     * @param forms the CSRF token and the result of the last action
     * @param filter the filter as given, to fill the form and the links
     * @param rows one page of jobs, newest first
     * @param next the query string of the next page, or {@code null} on the last one
     * @param error what is wrong with the filter, or {@code null}
     * @param searched how far an args search looked when it stopped at its window, or {@code null}
     */
    static native TemplateInstance jobs(String base, Forms forms, String watch, JobsFilter filter, List<JobRow> rows,
            String next, String error, String searched);

    /**
     * @param base the dashboard's absolute path
     * @param forms the CSRF token
     * @param action what to do to the matching jobs: cancel, retry or delete
     * @param filter which jobs
     * @param count how many jobs the action would change (at most {@code cap})
     * @param capped whether there are more than {@code count}
     */
    static native TemplateInstance confirm(String base, Forms forms, String watch, String action, JobsFilter filter, long count,
            boolean capped);

    /**
     * @param base the dashboard's absolute path
     * @param forms the CSRF token and the result of the last action
     * @param row the job
     * @param args its args, pretty-printed, cut at {@link Excerpt#LIMIT} characters
     * @param meta its meta, likewise
     * @param result its result, likewise, or {@code null}
     * @param full the link to the whole job as JSON
     * @param dependencies the jobs it depends on
     * @param dependents the jobs that depend on it
     * @param member the batch or workflow it belongs to, or {@code null}
     * @param why why it is not running, when it waits; empty otherwise
     */
    static native TemplateInstance job(String base, Forms forms, String watch, JobRow row, Excerpt args, Excerpt meta,
            Excerpt result, String full, List<JobView> dependencies, List<JobView> dependents,
            BatchStore.Membership member, List<WhyWaiting.Reason> why, BroadcastStore.Role role,
            List<Delivery> deliveries);

    /**
     * @param base the dashboard's absolute path
     * @param forms the CSRF token and the result of the last action
     * @param entries every cron entry with its last and next run
     */
    static native TemplateInstance cron(String base, Forms forms, String watch, List<CronRow> entries);

    /**
     * @param base the dashboard's absolute path
     * @param forms the CSRF token and the result of the last action
     * @param path {@code workflows} for the workflows list, {@code batches} for the batches list
     * @param name the name filter as given, or {@code null}
     * @param state the state filter as given, or {@code null}
     * @param rows one page, newest first
     * @param next the query string of the next page, or {@code null} on the last one
     * @param error what is wrong with the filter, or {@code null}
     */
    static native TemplateInstance batches(String base, Forms forms, String watch, String path, String name,
            String state, List<BatchRow> rows, String next, String error);

    /**
     * @param base the dashboard's absolute path
     * @param forms the CSRF token and the result of the last action
     * @param batch the batch
     * @param state its state's name
     * @param duration how long it ran (so far)
     * @param meta its meta, pretty-printed and cut
     * @param members the first of its members that have not finished
     * @param workflow whether it is a workflow (its page draws it)
     */
    static native TemplateInstance batch(String base, Forms forms, String watch, BatchView batch, String state,
            String duration, Excerpt meta, List<JobRow> members, boolean workflow);

    /**
     * @param base the dashboard's absolute path
     * @param forms the CSRF token and the result of the last action
     * @param flow the workflow
     * @param state its state's name
     * @param duration how long it ran (so far)
     * @param graph its dependency graph as SVG, every text in it escaped
     * @param steps its steps, parents first
     */
    static native TemplateInstance workflow(String base, Forms forms, String watch, WorkflowView flow, String state,
            String duration, String graph, List<StepRow> steps);

    /**
     * @param base the dashboard's absolute path
     * @param forms the CSRF token and the result of the last action
     * @param keys the ids of the keys this node decrypts with, sorted
     * @param primary the key new values are encrypted with, or {@code null} without keys
     * @param hashKey whether a hash key for unique keys over encrypted args is configured
     * @param last the last re-encryption run on this node, or {@code null}
     */
    static native TemplateInstance encryption(String base, Forms forms, String watch, List<String> keys,
            String primary, boolean hashKey, ReencryptionRuns.Run last);
}
