package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URL;
import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.JobProbe;
import io.quarkiverse.shigoto.it.workers.ScriptedWorker;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The dashboard in a real browser (Chromium): pages, filters and actions as a person uses them. Screenshots go to
 * {@code integration-tests/target/screenshots/}.
 */
@QuarkusTest
class DashboardBrowserTest {

    static Browser browser;

    @TestHTTPResource("/shigoto")
    URL dashboard;

    @Inject
    Shigoto shigoto;

    @Inject
    JobProbe probe;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private WebDriver open(String path) {
        WebDriver d = browser.driver();
        d.get(dashboard + path);
        return d;
    }

    private static String state(WebDriver d) {
        return d.findElement(By.cssSelector("h1 .badge")).getText();
    }

    @Test
    void everyPageOpensAndTheJobsListFiltersByState() throws Exception {
        JobView job = shigoto.insert(JobRequest.of("echo").queue("parked").tags("browser"));
        WebDriver d = open("");
        assertThat(d.getTitle()).isEqualTo("shigoto · overview");
        browser.screenshot("overview");
        d.findElement(By.cssSelector("a.card[data-state=\"available\"]")).click();
        assertThat(d.getCurrentUrl()).contains("/shigoto/jobs?state=available");
        assertThat(d.findElements(By.cssSelector("tr[data-job=\"" + job.id() + "\"]"))).hasSize(1);
        browser.screenshot("jobs-available");
        d.findElement(By.linkText(String.valueOf(job.id()))).click();
        assertThat(state(d)).isEqualTo("available");
        assertThat(d.findElement(By.id("args")).getText()).contains("{ }");
        browser.screenshot("job");
    }

    @Test
    void retryingADiscardedJobRunsItToCompletion() throws Exception {
        JobView job = shigoto.insert(JobRequest.of(ScriptedWorker.class).arg("outcome", "throw").arg("untilRun", 2)
                .arg("token", 31).maxAttempts(1));
        awaitState(shigoto, job.id(), JobState.DISCARDED);
        WebDriver d = open("/jobs/" + job.id());
        assertThat(state(d)).isEqualTo("discarded");
        d.findElement(By.xpath("//button[text()='Retry']")).click();
        assertThat(d.findElement(By.cssSelector(".flash")).getText()).isEqualTo("Retrying job " + job.id());
        await().atMost(Jobs.PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
            d.navigate().refresh();
            return state(d).equals("completed");
        });
        browser.screenshot("retried-completed");
    }

    @Test
    void cancellingAnExecutingJobInterruptsIt() throws Exception {
        JobView job = shigoto.insert(JobRequest.of("holding"));
        awaitState(shigoto, job.id(), JobState.EXECUTING);
        WebDriver d = open("/jobs/" + job.id());
        assertThat(state(d)).isEqualTo("executing");
        d.findElement(By.xpath("//button[text()='Cancel']")).click();
        assertThat(state(d)).isEqualTo("cancelled");
        await().atMost(Duration.ofSeconds(1)).until(() -> probe.wasInterrupted(job.id()));
        browser.screenshot("cancelled");
    }

    @Test
    void snoozingPostponesAWaitingJob() {
        JobView job = shigoto.insert(JobRequest.of("echo").queue("parked"));
        WebDriver d = open("/jobs/" + job.id());
        var seconds = d.findElement(By.name("seconds"));
        seconds.clear();
        seconds.sendKeys("3600");
        d.findElement(By.xpath("//button[text()='Snooze']")).click();
        assertThat(state(d)).isEqualTo("scheduled");
        assertThat(shigoto.job(job.id()).orElseThrow().scheduledAt()).isAfter(java.time.Instant.now()
                .plus(Duration.ofMinutes(50)));
    }

    @Test
    void pausingAQueueStopsItsJobsUntilResumed() throws Exception {
        WebDriver d = open("");
        d.findElement(By.xpath("//tr[@data-queue='pausable']//button[text()='Pause']")).click();
        assertThat(d.findElement(By.xpath("//tr[@data-queue='pausable']//span[contains(@class,'badge')]")).getText())
                .isEqualTo("paused");
        browser.screenshot("queue-paused");
        JobView job = shigoto.insert(JobRequest.of("echo").queue("pausable"));
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> shigoto.job(job.id()).orElseThrow().state() == JobState.AVAILABLE);
        d.findElement(By.xpath("//tr[@data-queue='pausable']//button[text()='Resume']")).click();
        awaitState(shigoto, job.id(), JobState.COMPLETED);
    }

    @Test
    void bulkRetryByFilterAsksWithTheCountFirst() throws Exception {
        String tag = "b-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            JobView j = shigoto.insert(JobRequest.of(ScriptedWorker.class).arg("outcome", "throw").arg("untilRun", 2)
                    .arg("token", 40 + i).maxAttempts(1).tags(tag));
            awaitState(shigoto, j.id(), JobState.DISCARDED);
        }
        WebDriver d = open("/jobs?tag=" + tag);
        d.findElement(By.linkText("retry…")).click();
        assertThat(d.findElement(By.tagName("main")).getText()).contains("This will retry 3 job(s)");
        browser.screenshot("bulk-confirm");
        d.findElement(By.xpath("//button[starts-with(text(),'Yes')]")).click();
        assertThat(d.findElement(By.cssSelector(".flash")).getText()).isEqualTo("Retrying 3 jobs");
        await().atMost(Jobs.PATIENCE).until(() -> shigoto.jobs(io.quarkiverse.shigoto.JobFilter.all().tags(tag)
                .states(JobState.COMPLETED), 0, 10).size() == 3);
    }
}
