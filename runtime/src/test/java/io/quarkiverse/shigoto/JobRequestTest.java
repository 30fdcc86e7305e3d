package io.quarkiverse.shigoto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class JobRequestTest {

    private static void assertRejected(Executable call, String message) {
        assertThatThrownBy(call::execute).isInstanceOf(InvalidJobException.class).hasMessage(message);
    }

    private static JobRequest request() {
        return JobRequest.of("send-mail");
    }

    @Test
    void aRequestByKindLeavesEveryOptionToTheWorker() {
        JobRequest r = request();
        assertThat(r.kind()).isEqualTo("send-mail");
        assertThat(r.workerClass()).isNull();
        assertThat(r.args()).isEmpty();
        assertThat(r.meta()).isEmpty();
        assertThat(r.queue()).isNull();
        assertThat(r.priority()).isNull();
        assertThat(r.maxAttempts()).isNull();
        assertThat(r.tags()).isNull();
        assertThat(r.scheduledAt()).isNull();
        assertThat(r.scheduleIn()).isNull();
        assertThat(r.partitionKey()).isNull();
        assertThat(r).hasToString("JobRequest[send-mail]");
    }

    @Test
    void aRequestByClassNamesTheClass() {
        JobRequest r = JobRequest.of(SendMail.class);
        assertThat(r.kind()).isNull();
        assertThat(r.workerClass()).isEqualTo(SendMail.class);
        assertThat(r).hasToString("JobRequest[" + SendMail.class.getName() + "]");
    }

    @Test
    void aBlankKindIsRejected() {
        assertRejected(() -> JobRequest.of(" "), "job kind must not be blank");
        assertRejected(() -> JobRequest.of((String) null), "job kind must not be blank");
    }

    @Test
    void maxAttemptsMustBeAtLeastOne() {
        assertRejected(() -> request().maxAttempts(0), "maxAttempts must be at least 1, was 0");
        assertRejected(() -> request().maxAttempts(-3), "maxAttempts must be at least 1, was -3");
        assertThat(request().maxAttempts(1).maxAttempts()).isEqualTo(1);
    }

    @Test
    void priorityMustBeBetweenMinusOneHundredAndOneHundred() {
        assertRejected(() -> request().priority(101), "priority must be between -100 and 100, was 101");
        assertRejected(() -> request().priority(-101), "priority must be between -100 and 100, was -101");
        assertThat(request().priority(100).priority()).isEqualTo(100);
        assertThat(request().priority(-100).priority()).isEqualTo(-100);
    }

    @Test
    void tagsMustNotBeBlank() {
        assertRejected(() -> request().tags("mail", " "), "tags must not be blank");
        assertRejected(() -> request().tags(Arrays.asList("mail", null)), "tags must not be blank");
        assertThat(request().tags("mail", "onboarding").tags()).containsExactly("mail", "onboarding");
    }

    @Test
    void aNullTagGivenAsVarargsIsRejectedLikeABlankOne() {
        assertRejected(() -> request().tags("mail", null), "tags must not be blank");
    }

    @Test
    void tagsAreCopied() {
        List<String> tags = new ArrayList<>(List.of("a"));
        JobRequest r = request().tags(tags);
        tags.add("b");
        assertThat(r.tags()).containsExactly("a");
    }

    @Test
    void argsMustNotBeNullNorHaveANullKey() {
        Map<String, Object> withNullKey = new HashMap<>();
        withNullKey.put(null, 1);
        assertRejected(() -> request().args(withNullKey), "args must not have a null key");
        assertRejected(() -> request().args(null), "args must not be null (use an empty map)");
        assertRejected(() -> request().meta(withNullKey), "meta must not have a null key");
        assertRejected(() -> request().meta(null), "meta must not be null (use an empty map)");
    }

    @Test
    void argsMayHaveNullValues() {
        Map<String, Object> args = new HashMap<>();
        args.put("to", null);
        assertThat(request().args(args).args()).containsEntry("to", null);
    }

    @Test
    void laterChangesToTheCallersArgsDoNotLeakIn() {
        Map<String, Object> args = new LinkedHashMap<>(Map.of("to", "ada@example.com"));
        Map<String, Object> meta = new LinkedHashMap<>(Map.of("source", "signup"));
        JobRequest r = request().args(args).meta(meta);
        args.put("to", "eve@example.com");
        args.put("cc", "mallory@example.com");
        meta.clear();
        assertThat(r.args()).isEqualTo(Map.of("to", "ada@example.com"));
        assertThat(r.meta()).isEqualTo(Map.of("source", "signup"));
    }

    @Test
    void argAddsToTheArgsWithoutChangingAnEarlierSnapshot() {
        JobRequest r = request().args(Map.of("a", 1));
        Map<String, Object> before = r.args();
        r.arg("b", 2).arg("a", 3);
        assertThat(r.args()).containsExactly(Map.entry("a", 3), Map.entry("b", 2));
        assertThat(before).isEqualTo(Map.of("a", 1));
    }

    @Test
    void scheduleInMustNotBeNegative() {
        assertRejected(() -> request().scheduleIn(Duration.ofSeconds(-1)), "scheduleIn must not be negative, was PT-1S");
        assertThat(request().scheduleIn(Duration.ZERO).scheduleIn()).isEqualTo(Duration.ZERO);
    }

    @Test
    void scheduleInReplacesScheduledAt() {
        JobRequest r = request().scheduledAt(Instant.parse("2030-01-01T00:00:00Z")).scheduleIn(Duration.ofMinutes(5));
        assertThat(r.scheduleIn()).isEqualTo(Duration.ofMinutes(5));
        assertThat(r.scheduledAt()).isNull();
    }

    @Test
    void scheduledAtReplacesScheduleIn() {
        Instant at = Instant.parse("2030-01-01T00:00:00Z");
        JobRequest r = request().scheduleIn(Duration.ofMinutes(5)).scheduledAt(at);
        assertThat(r.scheduledAt()).isEqualTo(at);
        assertThat(r.scheduleIn()).isNull();
    }

    @Test
    void aQueueMustBeAValidName() {
        assertRejected(() -> request().queue("mail queue"),
                "queue may only contain letters, digits and . _ : - (was 'mail queue')");
        assertRejected(() -> request().queue(""), "queue must not be empty");
        assertThat(request().queue("mail").queue()).isEqualTo("mail");
    }

    @Test
    void aPartitionKeyMayBeNullButNotBlank() {
        assertRejected(() -> request().partitionKey(" "), "partitionKey must not be blank");
        assertThat(request().partitionKey("tenant-7").partitionKey()).isEqualTo("tenant-7");
        assertThat(request().partitionKey("tenant-7").partitionKey(null).partitionKey()).isNull();
    }

    @Test
    @SuppressWarnings({ "unchecked", "rawtypes" })
    void mapsWithNonStringKeysAreRefusedNamingTheKeyAndItsType() {
        Map raw = new HashMap();
        raw.put(42, "x");
        assertRejected(() -> request().args(raw), "args keys must be strings, but key 42 is a java.lang.Integer");
        assertRejected(() -> request().meta(raw), "meta keys must be strings, but key 42 is a java.lang.Integer");
        assertRejected(() -> JobFilter.all().args(raw),
                "filter args keys must be strings, but key 42 is a java.lang.Integer");
    }

    static class SendMail implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }
}
