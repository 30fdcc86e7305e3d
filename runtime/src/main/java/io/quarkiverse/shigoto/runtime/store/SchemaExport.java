package io.quarkiverse.shigoto.runtime.store;

/**
 * Prints the SQL of shigoto's migrations, for applications whose schema is owned by Flyway or Liquibase:
 *
 * <pre>
 * java -cp quarkus-shigoto.jar io.quarkiverse.shigoto.runtime.store.SchemaExport [schema] [from-version]
 * </pre>
 */
public final class SchemaExport {

    private SchemaExport() {
    }

    public static void main(String[] args) {
        Schema schema = Schema.of(args.length > 0 ? args[0] : "public");
        int from = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        System.out.print(Migrator.export(schema, from));
    }
}
