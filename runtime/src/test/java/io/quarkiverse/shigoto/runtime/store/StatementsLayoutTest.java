package io.quarkiverse.shigoto.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The store's statements stay where a reader looks for them: each class declares its {@code static final String}
 * constants (its statements and their fragments) in alphabetical order, and declares none it does not use;
 * {@link SharedSql} holds only what two classes or more use. Alphabetical means word by word: an underscore sorts
 * before any letter, so {@code JOB_BY_ID} comes before {@code JOBS}.
 * <p>
 * It reads the sources, not the classes: javac inlines every use of a string constant, so the compiled class no
 * longer shows who uses it, and the order of {@link Class#getDeclaredFields()} is not specified. Comments, strings and
 * text blocks are blanked out before looking for uses, so a statement named in another's comment, or an SQL keyword
 * that happens to be a constant's name, does not count as a use.
 */
class StatementsLayoutTest {

    // surefire runs in the module's directory
    private static final Path SOURCES = Path.of("src/main/java/io/quarkiverse/shigoto/runtime/store");
    private static final Pattern CONSTANT = Pattern
            .compile("^\\s*(?:(?:public|protected|private)\\s+)?static\\s+final\\s+String\\s+([A-Z][A-Z0-9_]*)\\s*=",
                    Pattern.MULTILINE);

    @Test
    void theStoreClassesHoldingStatementsAreFound() throws IOException {
        assertThat(statements(sources()).keySet()).contains("JobStore", "SharedSql", "MaintenanceStore",
                "DashboardReads");
    }

    @Test
    void everyClassDeclaresItsStatementsInAlphabeticalOrder() throws IOException {
        List<String> problems = new ArrayList<>();
        statements(sources()).forEach((owner, names) -> {
            for (int i = 1; i < names.size(); i++) {
                if (sortKey(names.get(i - 1)).compareTo(sortKey(names.get(i))) > 0) {
                    problems.add(owner + "." + names.get(i) + " is declared after " + owner + "." + names.get(i - 1));
                }
            }
        });
        assertThat(problems).as("statements out of alphabetical order").isEmpty();
    }

    @Test
    void everyClassUsesEveryStatementItDeclares() throws IOException {
        Map<String, String> sources = sources();
        List<String> problems = new ArrayList<>();
        statements(sources).forEach((owner, names) -> {
            if (owner.equals("SharedSql")) {
                return;
            }
            String code = code(sources.get(owner));
            for (String name : names) {
                if (count(code, "\\b" + name + "\\b") < 2) {
                    problems.add(owner + "." + name + " is declared but never used by " + owner);
                }
            }
        });
        assertThat(problems).as("unused statements").isEmpty();
    }

    @Test
    void everySharedStatementIsUsedByTwoClassesOrMore() throws IOException {
        Map<String, String> sources = sources();
        List<String> problems = new ArrayList<>();
        for (String name : statements(sources).get("SharedSql")) {
            TreeSet<String> users = new TreeSet<>();
            sources.forEach((owner, source) -> {
                String code = code(source);
                // SharedSql's own fragments are used inside it by their simple name, past their declaration
                boolean uses = owner.equals("SharedSql")
                        ? count(code, "\\b" + name + "\\b") > 1
                        : count(code, "\\bSharedSql\\s*\\.\\s*" + name + "\\b") > 0;
                if (uses) {
                    users.add(owner);
                }
            });
            if (users.size() < 2) {
                problems.add("SharedSql." + name + " is used by " + (users.isEmpty() ? "no class" : "only " + users)
                        + ": it belongs in its one user, or nowhere");
            }
        }
        assertThat(problems).as("shared statements with fewer than two users").isEmpty();
    }

    /** @return by class, the names of its string constants in declaration order; classes without any are left out */
    private static Map<String, List<String>> statements(Map<String, String> sources) {
        Map<String, List<String>> statements = new LinkedHashMap<>();
        sources.forEach((owner, source) -> {
            List<String> names = new ArrayList<>();
            Matcher m = CONSTANT.matcher(code(source));
            while (m.find()) {
                names.add(m.group(1));
            }
            if (!names.isEmpty()) {
                statements.put(owner, names);
            }
        });
        return statements;
    }

    /** @return by class name, the source of every class of the store package */
    private static Map<String, String> sources() throws IOException {
        assertThat(SOURCES).as("the store's sources, relative to the runtime module").isDirectory();
        Map<String, String> sources = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String name = file.getFileName().toString();
                sources.put(name.substring(0, name.length() - ".java".length()), Files.readString(file));
            }
        }
        return sources;
    }

    private static String sortKey(String name) {
        return name.replace('_', ' ');
    }

    private static int count(String code, String regex) {
        return (int) Pattern.compile(regex).matcher(code).results().count();
    }

    /**
     * @return the source with every comment, string, text block and character literal blanked out (line breaks kept),
     *         so only code is left to search
     */
    private static String code(String source) {
        StringBuilder code = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            int end;
            if (source.startsWith("//", i)) {
                end = source.indexOf('\n', i);
                end = end < 0 ? source.length() : end;
            } else if (source.startsWith("/*", i)) {
                end = source.indexOf("*/", i + 2) + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                end = closing(source, i + 3, "\"\"\"");
            } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                end = closing(source, i + 1, String.valueOf(source.charAt(i)));
            } else {
                code.append(source.charAt(i++));
                continue;
            }
            for (; i < end; i++) {
                code.append(source.charAt(i) == '\n' ? '\n' : ' ');
            }
        }
        return code.toString();
    }

    /** @return the index just past the unescaped {@code delimiter} that closes a literal whose text starts at from */
    private static int closing(String source, int from, String delimiter) {
        int i = from;
        while (!source.startsWith(delimiter, i)) {
            i += source.charAt(i) == '\\' ? 2 : 1;
        }
        return i + delimiter.length();
    }
}
