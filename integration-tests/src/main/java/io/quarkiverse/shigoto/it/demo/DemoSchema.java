package io.quarkiverse.shigoto.it.demo;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;

/**
 * Creates the demo application's own table.
 */
@Singleton
public class DemoSchema {

    @Inject
    AgroalDataSource dataSource;

    void create(@Observes StartupEvent event) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS demo_orders (id bigserial PRIMARY KEY, item text NOT NULL)");
        }
    }
}
