// Quoted in docs/testing.md between the snippet markers; DocsSnippetsTest keeps the two the same.
package io.quarkiverse.shigoto.it.docs;

// snippet:manual-profile
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

public class ManualTesting implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.shigoto.testing", "manual");
    }
}
// end:manual-profile
