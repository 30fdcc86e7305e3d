package io.quarkiverse.shigoto.runtime.dashboard;

import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.crypto.KeyRing;
import io.quarkus.arc.Arc;
import io.vertx.ext.web.RoutingContext;

/**
 * The encryption keys this node has (their ids, never their bytes), which one is primary, and re-encryption with it:
 * the last run on this node and a button to start one.
 */
final class EncryptionRoute extends DashboardRoute {

    EncryptionRoute(String base, DashboardAccess access) {
        super(base, access);
    }

    @Override
    String render(RoutingContext rc, DashboardData data, Shigoto shigoto) {
        KeyRing keys = Arc.container().instance(KeyRing.class).get();
        ReencryptionRuns runs = Arc.container().instance(ReencryptionRuns.class).get();
        return DashboardPages.encryption(base, forms(rc), "", keys.keyIds(), keys.primary(), keys.hashes(), runs.last())
                .render();
    }
}
