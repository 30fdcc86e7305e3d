package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The runtime artifact describes itself to Quarkus tooling and the Dev UI: its name, guide, categories, status and
 * configuration prefix come from the hand-written descriptor the build merges with what it generates.
 */
class ExtensionMetadataTest {

    @Test
    void theDescriptorNamesTheExtensionItsGuideAndItsConfiguration() throws IOException {
        String yaml = descriptor();
        assertThat(yaml).contains("name: \"Shigoto\"")
                .contains("guide: \"https://github.com/quarkiverse/quarkus-shigoto/blob/main/docs/index.md\"")
                .contains("status: \"preview\"")
                .contains("- \"quarkus.shigoto.\"")
                .contains("- \"messaging\"")
                .contains("artifact: \"io.quarkiverse.shigoto:quarkus-shigoto::jar:");
    }

    @Test
    void theRuntimeProvidesItsCapability() throws IOException {
        String properties = read("META-INF/quarkus-extension.properties");
        assertThat(properties).contains("provides-capabilities=io.quarkiverse.shigoto");
    }

    /** @return the runtime artifact's descriptor (the only one on this class path naming shigoto) */
    private static String descriptor() throws IOException {
        List<URL> all = Collections.list(ExtensionMetadataTest.class.getClassLoader()
                .getResources("META-INF/quarkus-extension.yaml"));
        for (URL url : all) {
            String text = text(url);
            if (text.contains("io.quarkiverse.shigoto:quarkus-shigoto:")) {
                return text;
            }
        }
        throw new AssertionError("no quarkus-extension.yaml of quarkus-shigoto among " + all);
    }

    private static String read(String resource) throws IOException {
        for (URL url : Collections.list(ExtensionMetadataTest.class.getClassLoader().getResources(resource))) {
            String text = text(url);
            if (text.contains("io.quarkiverse.shigoto")) {
                return text;
            }
        }
        throw new AssertionError("no " + resource + " of quarkus-shigoto");
    }

    private static String text(URL url) throws IOException {
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
