package io.quarkiverse.shigoto;

/**
 * A blocking job worker that receives its args as a type of its own: a record or a class Jackson can read.
 * {@link #perform(Object)} runs on one of the queue's worker threads, so it may block on I/O. Annotate the class with
 * {@link Job}:
 *
 * <pre>
 * public record InvoiceArgs(long invoiceId, String currency) {
 * }
 *
 * &#64;Job(kind = "send-invoice")
 * public class SendInvoice implements TypedWorker&lt;InvoiceArgs&gt; {
 *     &#64;Override
 *     public JobResult perform(InvoiceArgs args) {
 *         invoices.send(args.invoiceId(), args.currency());
 *         return JobResult.ok();
 *     }
 * }
 *
 * shigoto.insert(JobRequest.of(SendInvoice.class, new InvoiceArgs(42L, "EUR")));
 * </pre>
 * <p>
 * The args are written with the application's {@code ObjectMapper} (its Quarkus customizers apply) and read back
 * strictly: a property the type does not have, or a missing constructor property, fails the job with an
 * {@code invalid-args} error naming the property and its JSON path, instead of handing the worker a half-filled
 * object. The build reads {@code A} from the class's declaration, checks it (a record, or a class with a no-argument
 * constructor) and registers it for reflection in a native image. {@link Worker} is this interface with args as a
 * map.
 *
 * @param <A> the args type
 */
public interface TypedWorker<A> extends JobWorker<A> {

    /**
     * Runs one attempt of a job.
     *
     * @param args the job's args, read from the stored JSON
     * @return the outcome; {@code null} counts as {@link JobResult#ok()}; an exception counts as a failure, like
     *         {@link JobResult#error(String)}
     * @throws Exception any failure; it is recorded with its stack trace and the job is retried or discarded
     */
    JobResult perform(A args) throws Exception;
}
