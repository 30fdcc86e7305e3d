package io.quarkiverse.shigoto.runtime.client;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.Reencryption;
import io.quarkiverse.shigoto.ShigotoException;
import io.quarkiverse.shigoto.runtime.crypto.EncryptionException;
import io.quarkiverse.shigoto.runtime.crypto.KeyRing;
import io.quarkiverse.shigoto.runtime.store.EncryptedRows;
import io.quarkiverse.shigoto.runtime.store.JobStore;

/**
 * Re-encrypts the stored jobs of older keys with the primary: a pass over the job table, then over the archive, in
 * primary-key order, a batch
 * of {@value #BATCH} jobs per transaction, decrypted and encrypted again on this node. It keeps no state of its own
 * and is resumable by construction: a job already on the primary key no longer matches, so a run stopped half-way
 * (a crash, a restart) is finished by the next one, which only does what is left.
 */
final class KeyRotation {

    private static final Logger LOG = Logger.getLogger(KeyRotation.class);
    static final int BATCH = 500;

    private KeyRotation() {
    }

    static Reencryption run(JobStore store, KeyRing keys) {
        if (!keys.configured()) {
            throw new ShigotoException("nothing to re-encrypt with: no encryption key is configured ("
                    + KeyRing.KEYS + ".\"<id>\" and " + KeyRing.PRIMARY + ")");
        }
        long start = System.nanoTime();
        String primary = keys.primary();
        List<Long> failedIds = new ArrayList<>();
        long[] failed = { 0 };
        long reencrypted = 0;
        long locked = 0;
        long after = 0;
        EncryptedRows.Rewrite rewrite = job -> {
            try {
                return new String[] { keys.reencrypt(KeyRing.Field.ARGS, job.kind(), job.argsJson()),
                        keys.reencrypt(KeyRing.Field.META, job.kind(), job.metaJson()),
                        keys.reencrypt(KeyRing.Field.RESULT, job.kind(), job.resultJson()) };
            } catch (EncryptionException | IllegalArgumentException e) {
                failed[0]++;
                if (failedIds.size() < Reencryption.MAX_FAILED_IDS) {
                    failedIds.add(job.id());
                }
                LOG.debugf("job %d cannot be re-encrypted: %s", job.id(), e.getMessage());
                return null;
            }
        };
        boolean archive = false;
        try {
            // the job table, then the archive (prune.mode=archive): an old key may go once neither uses it
            for (boolean table : new boolean[] { false, true }) {
                archive = table;
                after = 0;
                EncryptedRows.Batch batch;
                do {
                    batch = store.encryptedRows().rewriteNext(archive, after, primary, BATCH, rewrite);
                    reencrypted += batch.rewritten();
                    locked += batch.locked();
                    after = batch.lastId();
                } while (batch.read() == BATCH);
            }
        } catch (SQLException e) {
            throw new ShigotoException("re-encryption stopped after " + (archive ? "archived " : "") + "job " + after
                    + " (" + reencrypted
                    + " jobs re-encrypted; run it again to go on): " + e.getMessage(), e);
        }
        Reencryption done = new Reencryption(primary, reencrypted, locked, failed[0], failedIds,
                Duration.ofNanos(System.nanoTime() - start));
        if (done.failed() > 0) {
            LOG.warnf("re-encryption with key '%s': %d jobs re-encrypted, %d cannot be decrypted on this node (first: %s)",
                    primary, done.reencrypted(), done.failed(), done.failedIds());
        } else {
            LOG.infof("re-encryption with key '%s': %d jobs re-encrypted, %d locked meanwhile", primary,
                    done.reencrypted(), done.locked());
        }
        return done;
    }
}
