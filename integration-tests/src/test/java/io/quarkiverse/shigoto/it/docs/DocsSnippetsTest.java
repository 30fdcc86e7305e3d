package io.quarkiverse.shigoto.it.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The code the docs quote is code CI compiles and runs: a block under {@code <!-- snippet:NAME path -->} in a page of
 * {@code docs/} must be, line for line, the region between {@code // snippet:NAME} and {@code // end:NAME} of that
 * source file (the path relative to the project's root).
 */
class DocsSnippetsTest {

    // surefire runs in the module's directory
    private static final Path ROOT = Path.of("..");
    private static final Pattern MARKER = Pattern.compile("<!-- snippet:([a-z0-9-]+) ([^ ]+) -->\\n```java\\n(.*?)```",
            Pattern.DOTALL);

    @Test
    void everyQuotedSnippetIsTheCompiledSource() throws IOException {
        List<String> problems = new ArrayList<>();
        int found = 0;
        try (Stream<Path> pages = Files.list(ROOT.resolve("docs"))) {
            for (Path page : pages.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                Matcher m = MARKER.matcher(Files.readString(page));
                while (m.find()) {
                    found++;
                    String name = m.group(1);
                    Path source = ROOT.resolve(m.group(2));
                    if (!Files.exists(source)) {
                        problems.add(page.getFileName() + ": snippet " + name + " names " + m.group(2)
                                + ", which does not exist");
                        continue;
                    }
                    String region = region(Files.readString(source), name);
                    if (region == null) {
                        problems.add(page.getFileName() + ": " + m.group(2) + " has no region " + name);
                    } else if (!region.equals(m.group(3))) {
                        problems.add(page.getFileName() + ": snippet " + name + " differs from " + m.group(2)
                                + "; copy the region between its markers into the page");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(found).as("snippets found in docs/").isGreaterThanOrEqualTo(3);
    }

    /** @return the lines between the region's markers, each ending in a newline, or {@code null} */
    private static String region(String source, String name) {
        String start = "// snippet:" + name + "\n";
        String end = "// end:" + name + "\n";
        int from = source.indexOf(start);
        int to = source.indexOf(end);
        return from < 0 || to < from ? null : source.substring(from + start.length(), to);
    }
}
