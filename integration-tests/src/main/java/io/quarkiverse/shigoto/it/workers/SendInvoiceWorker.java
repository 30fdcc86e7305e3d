package io.quarkiverse.shigoto.it.workers;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.TypedWorker;

/**
 * A worker of typed args: answers what it received, as the record's text, so a test sees the args arrived as an
 * {@link InvoiceArgs} with its nested lines.
 */
@Job(kind = "send-invoice", maxAttempts = 1)
public class SendInvoiceWorker implements TypedWorker<InvoiceArgs> {

    @Override
    public JobResult perform(InvoiceArgs args) {
        long units = args.lines().stream().mapToLong(InvoiceArgs.Line::quantity).sum();
        return JobResult.ok("invoice " + args.invoiceId() + " in " + args.currency() + ", " + units + " units, "
                + args);
    }
}
