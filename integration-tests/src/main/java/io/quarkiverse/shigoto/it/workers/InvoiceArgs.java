package io.quarkiverse.shigoto.it.workers;

import java.util.List;

/** The typed args of {@link SendInvoiceWorker}: a record holding a list of records. */
public record InvoiceArgs(long invoiceId, String currency, List<Line> lines) {

    /** One line of the invoice. */
    public record Line(String sku, int quantity) {
    }
}
