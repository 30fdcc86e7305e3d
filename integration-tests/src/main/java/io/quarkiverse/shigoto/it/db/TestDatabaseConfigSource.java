package io.quarkiverse.shigoto.it.db;

import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Supplies the datasource settings of {@link TestDatabase}, starting the server only when Quarkus first asks for
 * them. Its ordinal is below {@code application.properties}, environment variables and system properties, so any
 * explicitly configured datasource wins and no server is started.
 */
public class TestDatabaseConfigSource implements ConfigSource {

    private static final Set<String> KEYS = Set.of("quarkus.datasource.jdbc.url", "quarkus.datasource.reactive.url");

    /** Empty on purpose: listing the names would make tools that enumerate properties start the server. */
    @Override
    public Set<String> getPropertyNames() {
        return Set.of();
    }

    @Override
    public String getValue(String propertyName) {
        if (!KEYS.contains(propertyName) || "false".equals(System.getProperty("shigoto.it.database"))) {
            return null;
        }
        Map<String, String> config = TestDatabase.get().quarkusConfig();
        return config.get(propertyName);
    }

    @Override
    public String getName() {
        return "shigoto-test-database";
    }

    @Override
    public int getOrdinal() {
        return 150;
    }
}
