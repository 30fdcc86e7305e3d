package io.quarkiverse.shigoto.runtime.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens on the insert channel of the schema with one dedicated connection and passes each queue name it hears to
 * {@code onQueue}. When the connection breaks it reconnects and reports every queue as woken (wake-ups may have been
 * missed meanwhile; the poll interval covers the gap).
 */
public final class PgNotifier {

    private static final Logger LOG = Logger.getLogger(PgNotifier.class);
    private static final int RECEIVE_TIMEOUT_MILLIS = 250;

    private final DataSource dataSource;
    private final String channel;
    private final Consumer<String> onQueue;
    private final Runnable onReconnect;
    private final Thread thread;
    private volatile boolean stopping;

    public PgNotifier(DataSource dataSource, String channel, Consumer<String> onQueue, Runnable onReconnect) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.onQueue = onQueue;
        this.onReconnect = onReconnect;
        this.thread = new Thread(this::run, "shigoto-listener");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public void stop() {
        stopping = true;
        try {
            thread.join(2 * RECEIVE_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        boolean first = true;
        while (!stopping) {
            try (Connection c = dataSource.getConnection()) {
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + channel);
                }
                if (!first) {
                    onReconnect.run();
                }
                first = false;
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
                    onQueue.accept(n.getParameter());
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
