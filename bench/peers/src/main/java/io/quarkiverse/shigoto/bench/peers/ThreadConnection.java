package io.quarkiverse.shigoto.bench.peers;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A data source that hands out the connection of the current thread's open transaction, as Spring's
 * {@code TransactionAwareDataSourceProxy} does: a library that takes a {@code DataSource} (db-scheduler's client) then
 * works inside the caller's transaction. Closing the handed-out connection does nothing; the transaction's owner
 * commits and closes it. JVM-only benchmark code, so a dynamic proxy is fine here.
 */
final class ThreadConnection implements DataSource {

    /** Work on the transaction's connection. */
    @FunctionalInterface
    interface Work {
        void run(Connection c) throws Exception;
    }

    private final DataSource pool;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

    ThreadConnection(DataSource pool) {
        this.pool = pool;
    }

    /** Runs {@code work} in one transaction on a pooled connection, committed when it returns, else rolled back. */
    void inTransaction(Work work) throws Exception {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            current.set(c);
            try {
                work.run(c);
                c.commit();
            } catch (Exception e) {
                c.rollback();
                throw e;
            } finally {
                current.remove();
                c.setAutoCommit(true);
            }
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c = current.get();
        if (c == null) {
            throw new SQLException("no transaction on this thread");
        }
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] { Connection.class },
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getLogger("bench");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return pool.isWrapperFor(iface);
    }
}
