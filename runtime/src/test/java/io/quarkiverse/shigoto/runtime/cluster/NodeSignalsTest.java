package io.quarkiverse.shigoto.runtime.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.runtime.cluster.NodeSignals.ControlsChanged;
import io.quarkiverse.shigoto.runtime.cluster.NodeSignals.Interrupt;
import io.quarkiverse.shigoto.runtime.cluster.NodeSignals.Signal;

class NodeSignalsTest {

    /** PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more. */
    private static final int MAX_PAYLOAD = 8000;

    @Test
    void anInterruptOfManyIdsIsSplitIntoPayloadsPostgresqlAccepts() {
        long[] ids = LongStream.range(0, 1001).map(i -> Long.MAX_VALUE - i).toArray();
        List<String> payloads = NodeSignals.encode(new Interrupt(ids));
        assertThat(payloads).hasSize(3);
        List<Long> decoded = new ArrayList<>();
        for (String payload : payloads) {
            assertThat(payload.getBytes(StandardCharsets.UTF_8).length).isLessThan(MAX_PAYLOAD);
            Signal signal = NodeSignals.decode(payload);
            assertThat(signal).isInstanceOf(Interrupt.class);
            for (long id : ((Interrupt) signal).ids()) {
                decoded.add(id);
            }
        }
        assertThat(decoded).containsExactlyElementsOf(LongStream.of(ids).boxed().toList());
    }

    @Test
    void everyPayloadHoldsAsManyIdsAsFit() {
        long[] ids = LongStream.rangeClosed(1, 10_000).toArray();
        List<String> payloads = NodeSignals.encode(new Interrupt(ids));
        // "cancel" and 10,000 ids of 1 to 5 digits, each after a space: 48,900 bytes
        assertThat(payloads).hasSize(7);
        payloads.forEach(p -> assertThat(p.length()).isLessThan(MAX_PAYLOAD));
        assertThat(NodeSignals.encode(new Interrupt(new long[0]))).isEmpty();
    }

    @Test
    void theControlsChangedSignalIsReadBack() {
        assertThat(NodeSignals.encode(new ControlsChanged())).containsExactly(NodeSignals.controlsChanged());
        assertThat(NodeSignals.decode(NodeSignals.controlsChanged())).isInstanceOf(ControlsChanged.class);
    }

    @Test
    void aMessageOfANewerReleaseIsIgnoredAndAMalformedOneNamed() {
        assertThat(NodeSignals.decode("drain-queue default")).isNull();
        assertThatThrownBy(() -> NodeSignals.decode("cancel 12 x3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x3'");
    }
}
