package io.quarkiverse.shigoto.it.workers;

import jakarta.inject.Inject;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.TypedWorker;

/**
 * A worker of typed args: answers what it received, as the record's text, so a test sees the args arrived as an
 * {@link InvoiceArgs} with its nested lines, and what {@link JobContext#args()} (what a middleware reads) shows of them.
 */
@Job(kind = "send-invoice", maxAttempts = 1)
public class SendInvoiceWorker implements TypedWorker<InvoiceArgs> {

    @Inject
    JobContext job;

    @Override
    public JobResult perform(InvoiceArgs args) {
        long units = args.lines().stream().mapToLong(InvoiceArgs.Line::quantity).sum();
        String context = job.args(InvoiceArgs.class) == args ? "same object" : "another object";
        return JobResult.ok("invoice " + args.invoiceId() + " in " + args.currency() + ", " + units + " units, "
                + args + "; context: " + context + ", currency " + job.args().get("currency"));
    }
}
