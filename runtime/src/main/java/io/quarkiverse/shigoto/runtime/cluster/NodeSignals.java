package io.quarkiverse.shigoto.runtime.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.quarkiverse.shigoto.runtime.store.JobStore;

/**
 * The one owner of the messages nodes send each other through PostgreSQL's {@code NOTIFY}: what each means, how it is
 * written and read, who sends it and what a receiving node does with it ({@link LocalNode}).
 * <p>
 * Two channels per schema, named by {@link io.quarkiverse.shigoto.runtime.store.Schema} (the store binds them into its
 * statements):
 * <ul>
 * <li>the <em>insert channel</em>: the payload is a queue name, meaning "jobs are available in this queue, claim
 * them". Single-row inserts send it inside their own statement (see {@code InsertNotifier} for when);
 * {@link #wake(Collection)} sends it for jobs that became available otherwise (staged, released by their
 * dependencies, retried).</li>
 * <li>the <em>control channel</em>: a {@link Signal}, {@link #encode(Signal) encoded} as text.</li>
 * </ul>
 * Every signal is also delivered to this node's own engine directly, without the round trip through the database
 * (a node listens on its channels too, so it may see a signal twice: each is idempotent).
 */
public final class NodeSignals {

    /** A message on the control channel. */
    public sealed interface Signal permits Interrupt, ControlsChanged {
    }

    /** These jobs were cancelled: the nodes running them stop their attempts. */
    public record Interrupt(long[] ids) implements Signal {
    }

    /** The persisted queue controls changed (a pause, a resume, a new concurrency): every node reads them again. */
    public record ControlsChanged() implements Signal {
    }

    /** The longest NOTIFY payload PostgreSQL takes: it must be shorter than 8,000 bytes (ids are ASCII). */
    static final int MAX_PAYLOAD = 7_999;
    private static final String CONTROLS_CHANGED = "queues";
    private static final String INTERRUPT = "cancel";

    private final JobStore store;
    private final Supplier<LocalNode> here;

    /**
     * @param here the engine running in this JVM, or {@code null} while none does (an insert-only node, stopped)
     */
    public NodeSignals(JobStore store, Supplier<LocalNode> here) {
        this.store = store;
        this.here = here;
    }

    /**
     * Wakes the queues here and, through a notification on a connection of its own, on every other node: jobs
     * became available in them.
     */
    public void wake(Collection<String> queues) throws SQLException {
        if (queues.isEmpty()) {
            return;
        }
        LocalNode node = here.get();
        if (node != null) {
            queues.forEach(node::wake);
        }
        notifyQueues(queues);
    }

    /** Wakes the queues on every node through a notification only (this node's producers were told already). */
    public void notifyQueues(Collection<String> queues) throws SQLException {
        try (Connection c = store.dataSource().getConnection()) {
            store.inserts().notifyQueues(c, queues);
        }
    }

    /** Stops the attempts of cancelled jobs, here at once and on every other node through the control channel. */
    public void interrupt(long[] ids) throws SQLException {
        if (ids.length == 0) {
            return;
        }
        LocalNode node = here.get();
        if (node != null) {
            node.interrupt(ids);
        }
        store.cluster().announce(encode(new Interrupt(ids)));
    }

    /**
     * @return the payload that tells every node the queue controls changed, to send inside the transaction that
     *         changes them (so it is delivered at commit, and never for a rollback)
     */
    public static String controlsChanged() {
        return encode(new ControlsChanged()).get(0);
    }

    /**
     * @return the payloads of a signal: one, or several for an interrupt of more ids than one payload holds (none for
     *         an interrupt of no ids)
     */
    public static List<String> encode(Signal signal) {
        if (signal instanceof Interrupt i) {
            List<String> messages = new ArrayList<>();
            StringBuilder m = new StringBuilder(INTERRUPT);
            for (long id : i.ids()) {
                String text = Long.toString(id);
                if (m.length() > INTERRUPT.length() && m.length() + 1 + text.length() > MAX_PAYLOAD) {
                    messages.add(m.toString());
                    m.setLength(0);
                    m.append(INTERRUPT);
                }
                m.append(' ').append(text);
            }
            if (m.length() > INTERRUPT.length()) {
                messages.add(m.toString());
            }
            return messages;
        }
        return List.of(CONTROLS_CHANGED);
    }

    /**
     * @return the signal of a control payload, or {@code null} for one this release does not know (a newer node's),
     *         which is ignored
     * @throws IllegalArgumentException when a known signal is malformed
     */
    public static Signal decode(String payload) {
        if (payload.equals(CONTROLS_CHANGED)) {
            return new ControlsChanged();
        }
        if (payload.startsWith(INTERRUPT + " ")) {
            String[] parts = payload.substring(INTERRUPT.length() + 1).trim().split(" ");
            long[] ids = new long[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    ids[i] = Long.parseLong(parts[i]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a job id in an interrupt message: '" + parts[i] + "'", e);
                }
            }
            return new Interrupt(ids);
        }
        return null;
    }

    /**
     * @return by channel, what a node does with each payload it receives: the handlers of its {@link PgNotifier}
     */
    public Map<String, Consumer<String>> receivers(LocalNode node) {
        return Map.of(store.schema().insertChannel(), node::wake, store.schema().controlChannel(),
                payload -> receive(decode(payload), node));
    }

    private static void receive(Signal signal, LocalNode node) {
        if (signal instanceof ControlsChanged) {
            node.refreshControls();
        } else if (signal instanceof Interrupt i) {
            node.interrupt(i.ids());
        }
    }
}
