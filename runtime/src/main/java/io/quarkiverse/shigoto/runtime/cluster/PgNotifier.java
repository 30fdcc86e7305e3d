package io.quarkiverse.shigoto.runtime.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.quarkiverse.shigoto.runtime.lifecycle.NodeService;

/**
 * Listens on the channels of the schema (insert wake-ups, control messages) with one dedicated connection and passes
 * each payload to the handler of its channel. Whenever it starts listening (at start, and after reconnecting when
 * the connection broke) it runs {@code onListening}: messages sent before that were missed, so the handler re-reads
 * what they would have announced.
 */
public final class PgNotifier implements NodeService {

    private static final Logger LOG = Logger.getLogger(PgNotifier.class);
    private static final int RECEIVE_TIMEOUT_MILLIS = 250;

    private final DataSource dataSource;
    private final Map<String, Consumer<String>> handlers;
    private final Runnable onListening;
    private final Thread thread;
    private final CountDownLatch listening = new CountDownLatch(1);
    private volatile boolean stopping;

    /**
     * @param handlers by channel name (plain identifiers), what to do with a payload
     */
    public PgNotifier(DataSource dataSource, Map<String, Consumer<String>> handlers, Runnable onListening) {
        this.dataSource = dataSource;
        this.handlers = Map.copyOf(handlers);
        this.onListening = onListening;
        this.thread = new Thread(this::run, "shigoto-listener");
        this.thread.setDaemon(true);
    }

    @Override
    public void start() {
        thread.start();
    }

    /**
     * Waits until the first LISTEN is in place, so that what is announced from then on reaches this node.
     *
     * @return whether it is listening
     */
    public boolean awaitListening(Duration timeout) {
        try {
            return listening.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void stop() {
        stopping = true;
        try {
            thread.join(2 * RECEIVE_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (!stopping) {
            try (Connection c = dataSource.getConnection()) {
                try (Statement st = c.createStatement()) {
                    for (String channel : handlers.keySet()) {
                        st.execute("LISTEN " + channel);
                    }
                }
                listening.countDown();
                onListening.run();
                listen(c.unwrap(PGConnection.class));
                try (Statement st = c.createStatement()) {
                    st.execute("UNLISTEN *");
                }
            } catch (SQLException | RuntimeException e) {
                if (stopping) {
                    return;
                }
                LOG.warnf("shigoto lost its notification connection (%s); reconnecting in 1 s", e.getMessage());
                pause();
            }
        }
    }

    private void listen(PGConnection pg) throws SQLException {
        while (!stopping) {
            PGNotification[] notifications = pg.getNotifications(RECEIVE_TIMEOUT_MILLIS);
            if (notifications != null) {
                for (PGNotification n : notifications) {
                    Consumer<String> handler = handlers.get(n.getName());
                    if (handler != null) {
                        try {
                            handler.accept(n.getParameter());
                        } catch (RuntimeException e) {
                            LOG.warnf(e, "shigoto could not handle the message '%s' on %s", n.getParameter(),
                                    n.getName());
                        }
                    }
                }
            }
        }
    }

    private synchronized void pause() {
        try {
            wait(1000);
        } catch (InterruptedException e) {
            stopping = true;
        }
    }
}
