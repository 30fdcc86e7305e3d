package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobFilter;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.JobWorker;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.EchoWorker;
import io.quarkiverse.shigoto.it.workers.InvoiceArgs;
import io.quarkiverse.shigoto.it.workers.PublishWorker;
import io.quarkiverse.shigoto.it.workers.ResizeArgs;
import io.quarkiverse.shigoto.it.workers.ResizeImageWorker;
import io.quarkiverse.shigoto.it.workers.SendInvoiceWorker;
import io.quarkiverse.shigoto.it.workers.ThumbnailWorker;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Workers of typed args on real PostgreSQL: records and plain classes go in through the application's
 * {@code ObjectMapper} and come back as the worker's type; stored JSON that no longer fits fails that job naming the
 * property and its path; a value Jackson cannot write is refused at insert with nothing stored.
 */
@QuarkusTest
class TypedArgsTest {

    @Inject
    Shigoto shigoto;

    @Test
    void aRecordGoesInAndComesBackAsTheWorkersType() {
        InvoiceArgs args = new InvoiceArgs(42L, "EUR", List.of(new InvoiceArgs.Line("A-1", 2),
                new InvoiceArgs.Line("B-7", 3)));
        JobView inserted = shigoto.insert(JobRequest.of(SendInvoiceWorker.class, args));
        // stored and shown as the JSON object Jackson wrote
        assertThat(inserted.args()).containsEntry("invoiceId", 42).containsEntry("currency", "EUR");
        JobView done = awaitState(shigoto, inserted.id(), JobState.COMPLETED);
        // JobContext (what middleware reads) hands out the same object, and the args as a map
        assertThat(done.result()).isEqualTo("invoice 42 in EUR, 5 units, " + args
                + "; context: same object, currency EUR");
        // the filter's args containment sees typed args like map args
        assertThat(shigoto.jobs(JobFilter.all().kinds("send-invoice").args(Map.of("invoiceId", 42)), 0, 100))
                .extracting(JobView::id).contains(inserted.id());
    }

    @Test
    void aPlainClassReachesAReactiveWorker() {
        JobView inserted = shigoto.insert(JobRequest.of(ResizeImageWorker.class, new ResizeArgs("cat.png", 640, null)));
        assertThat(awaitState(shigoto, inserted.id(), JobState.COMPLETED).result()).isEqualTo("cat.png@640");
    }

    @Test
    void aRecordResultIsStoredAsJsonAndADependentReadsItBackAsTheRecord() {
        JobView thumb = shigoto.insert(JobRequest.of(ThumbnailWorker.class, new ResizeArgs("cat.png", 64, null)));
        JobView publish = shigoto.insert(JobRequest.of(PublishWorker.class).dependsOn(thumb.id()));
        assertThat(awaitState(shigoto, thumb.id(), JobState.COMPLETED).result())
                .isEqualTo(Map.of("url", "thumbs/cat.png", "width", 64));
        assertThat(awaitState(shigoto, publish.id(), JobState.COMPLETED).result())
                .isEqualTo("thumbs/cat.png (64 px)");
    }

    @Test
    void storedArgsThatNoLongerFitFailTheJobNamingThePropertyAndItsPath() {
        // a property the type does not have fails too, whatever the application's mapper allows
        JobView unknown = shigoto.insert(JobRequest.of("resize-image").arg("image", "a.png").arg("width", 10)
                .arg("height", 20));
        assertThat(awaitState(shigoto, unknown.id(), JobState.DISCARDED).errors().get(0).message())
                .contains("property 'height' at $.height");
        // as a row an older release (or SQL) wrote: the property was renamed since
        JobView old = shigoto.insert(JobRequest.of("send-invoice").arg("invoiceNo", 42).arg("currency", "EUR")
                .arg("lines", List.of()));
        JobView failed = awaitState(shigoto, old.id(), JobState.DISCARDED);
        JobError error = failed.errors().get(failed.errors().size() - 1);
        assertThat(error.type()).isEqualTo("invalid-args");
        // the record misses the property it was renamed to (Jackson reports the missing one first)
        assertThat(error.message()).contains("job kind 'send-invoice'", InvoiceArgs.class.getName(),
                "property 'invoiceId' at $.invoiceId");
        // a nested property is named with its path
        JobView nested = shigoto.insert(JobRequest.of("send-invoice").arg("invoiceId", 7).arg("currency", "EUR")
                .arg("lines", List.of(Map.of("sku", "A", "quantity", 1), Map.of("sku", "B", "qty", 2))));
        JobError nestedError = awaitState(shigoto, nested.id(), JobState.DISCARDED).errors().get(0);
        assertThat(nestedError.message()).containsPattern("property '(qty|quantity)' at \\$\\.lines\\[1\\]\\.(qty|quantity)");
    }

    @Test
    void aValueJacksonCannotWriteIsRefusedAtInsertAndNothingIsStored() {
        long before = shigoto.jobs(JobFilter.all().kinds("resize-image"), 0, 10_000).size();
        assertThatThrownBy(() -> shigoto.insert(JobRequest.of(ResizeImageWorker.class,
                new ResizeArgs("dog.png", 100, new Object())))).isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("args of job kind 'resize-image'").hasMessageContaining("property 'extra'");
        assertThat(shigoto.jobs(JobFilter.all().kinds("resize-image"), 0, 10_000)).hasSize((int) before);
    }

    @Test
    @SuppressWarnings({ "rawtypes", "unchecked" })
    void typedArgsForAWorkerOfMapArgsAreRefused() {
        Class<? extends JobWorker<Object>> echo = (Class) EchoWorker.class;
        assertThatThrownBy(() -> shigoto.insert(JobRequest.of(echo, new ResizeArgs("x", 1, null))))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("job kind 'echo' takes map args");
        assertThatThrownBy(() -> JobRequest.of(ResizeImageWorker.class, new ResizeArgs("x", 1, null)).arg("a", 1))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("has typed args");
    }
}
