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
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

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

    /** Clicks a button that posts an action and waits for the page it leads to, which shows a message. */
    private static void act(WebDriver d, By button) {
        WebElement page = d.findElement(By.tagName("html"));
        d.findElement(button).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> isStale(page));
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> !d.findElements(By.cssSelector(".flash")).isEmpty());
    }

    private static boolean isStale(WebElement element) {
        try {
            element.getTagName();
            return false;
        } catch (StaleElementReferenceException e) {
            return true;
        }
    }

    /** The job page's state; live updates may swap the element while it is read, so it reads again then. */
    private static String state(WebDriver d) {
        return await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .until(() -> d.findElement(By.cssSelector("h1 .badge")).getText(), t -> t != null);
    }

    @Test
    void aRefusedActionSaysWhyStyledAsARefusal() throws Exception {
        JobView job = shigoto.insert(JobRequest.of("echo").queue("parked"));
        JobView before = shigoto.job(job.id()).orElseThrow();
        WebDriver d = open("/jobs/" + job.id());
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> state(d).equals("available"));
        // past what the page's own input allows, as a script or an old page would post it
        ((org.openqa.selenium.JavascriptExecutor) d).executeScript("var i = document.querySelector("
                + "'input[name=seconds]'); i.removeAttribute('max'); i.value = '9223372036854775807';");
        act(d, By.cssSelector("form[action$='/actions/snooze'] button"));
        WebElement flash = d.findElement(By.cssSelector(".flash"));
        assertThat(flash.getText()).isEqualTo("Not done: seconds must be from 0 to 315360000, was 9223372036854775807");
        assertThat(flash.getAttribute("class")).isEqualTo("flash refused");
        assertThat(flash.getAttribute("role")).isEqualTo("alert");
        assertThat(flash.getCssValue("background-color")).isEqualTo("rgba(253, 243, 216, 1)");
        browser.screenshot("refused");
        assertThat(shigoto.job(job.id()).orElseThrow().scheduledAt()).isEqualTo(before.scheduledAt());
        shigoto.delete(job.id());
    }

    @Test
    void everyPageOpensAndTheJobsListFiltersByState() throws Exception {
        JobView job = shigoto.insert(JobRequest.of("echo").queue("parked").tags("browser"));
        WebDriver d = open("");
        assertThat(d.getTitle()).isEqualTo("shigoto · overview");
        browser.screenshot("overview");
        d.findElement(By.cssSelector("a.card[data-state=\"available\"]")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> d.getCurrentUrl().contains("/shigoto/jobs?state=available"));
        assertThat(d.findElements(By.cssSelector("tr[data-job=\"" + job.id() + "\"]"))).hasSize(1);
        browser.screenshot("jobs-available");
        d.findElement(By.linkText(String.valueOf(job.id()))).click();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> state(d).equals("available"));
        assertThat(d.findElement(By.id("args")).getText()).contains("{ }");
        browser.screenshot("job");
    }

    @Test
    void theJobsListFiltersByTagAndPartitionAndTheQueuePageShowsPartitions() throws Exception {
        String tag = "tag-" + UUID.randomUUID().toString().substring(0, 8);
        String queue = "browser-" + UUID.randomUUID().toString().substring(0, 8);
        JobView tagged = shigoto.insert(JobRequest.of("echo").queue(queue).tags(tag).partitionKey("acme"));
        JobView other = shigoto.insert(JobRequest.of("echo").queue(queue).partitionKey("globex"));
        WebDriver d = open("/jobs");
        WebElement page = d.findElement(By.tagName("html"));
        d.findElement(By.name("tag")).sendKeys(tag);
        d.findElement(By.name("tag")).submit();
        await().atMost(Duration.ofSeconds(10)).until(() -> isStale(page));
        assertThat(d.getCurrentUrl()).contains("tag=" + tag);
        assertThat(d.findElements(By.cssSelector("tr[data-job]"))).extracting(e -> e.getAttribute("data-job"))
                .containsExactly(String.valueOf(tagged.id()));

        WebElement tagPage = d.findElement(By.tagName("html"));
        d.findElement(By.name("tag")).clear();
        d.findElement(By.name("queue")).sendKeys(queue);
        d.findElement(By.name("partition")).sendKeys("globex");
        d.findElement(By.name("partition")).submit();
        await().atMost(Duration.ofSeconds(10)).until(() -> isStale(tagPage));
        assertThat(d.findElements(By.cssSelector("tr[data-job]"))).extracting(e -> e.getAttribute("data-job"))
                .containsExactly(String.valueOf(other.id()));
        browser.screenshot("jobs-by-partition");

        open("/queues/" + queue);
        assertThat(d.getTitle()).isEqualTo("shigoto · queue " + queue);
        assertThat(d.findElements(By.cssSelector("tr[data-partition]"))).extracting(e -> e.getAttribute("data-partition"))
                .containsExactlyInAnyOrder("acme", "globex");
        d.findElement(By.linkText("acme")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> d.getCurrentUrl().contains("partition=acme"));
        assertThat(d.findElements(By.cssSelector("tr[data-job]"))).extracting(e -> e.getAttribute("data-job"))
                .containsExactly(String.valueOf(tagged.id()));

        open("/queues");
        assertThat(d.findElements(By.cssSelector("tr[data-queue=\"holding\"]"))).hasSize(1);
        browser.screenshot("queues");
    }

    @Test
    void retryingADiscardedJobRunsItToCompletion() throws Exception {
        JobView job = shigoto.insert(JobRequest.of(ScriptedWorker.class).arg("outcome", "throw").arg("untilRun", 2)
                .arg("token", 31).maxAttempts(1));
        awaitState(shigoto, job.id(), JobState.DISCARDED);
        WebDriver d = open("/jobs/" + job.id());
        assertThat(state(d)).isEqualTo("discarded");
        act(d, By.xpath("//button[text()='Retry']"));
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
        act(d, By.xpath("//button[text()='Cancel']"));
        assertThat(state(d)).isEqualTo("cancelled");
        await().atMost(Duration.ofSeconds(1)).until(() -> probe.wasInterrupted(job.id()));
        browser.screenshot("cancelled");
    }

    @Test
    void aBroadcastsPageListsItsDeliveriesAndItsCancelStopsThem() throws Exception {
        JobView job = shigoto.insert(JobRequest.of("holding").queue("broadcast"));
        await().atMost(Duration.ofSeconds(20)).until(() -> shigoto.deliveries(job.id()).stream()
                .anyMatch(x -> x.job().state() == JobState.EXECUTING && probe.runs(x.job().id()) == 1));
        long delivery = shigoto.deliveries(job.id()).get(0).job().id();
        String node = shigoto.deliveries(job.id()).get(0).node();
        WebDriver d = open("/jobs/" + job.id());
        assertThat(state(d)).isEqualTo("executing");
        WebElement row = d.findElement(By.cssSelector("tr[data-delivery='" + node + "']"));
        assertThat(row.getText()).contains(node).contains(Long.toString(delivery)).contains("executing");
        assertThat(d.findElement(By.cssSelector("[data-broadcast]")).getText())
                .contains("performed once by every node running the queue");
        browser.screenshot("broadcast-executing");
        act(d, By.xpath("//button[text()='Cancel']"));
        assertThat(state(d)).isEqualTo("cancelled");
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> d
                .findElement(By.cssSelector("tr[data-delivery='" + node + "']")).getText().contains("cancelled"));
        await().atMost(Duration.ofSeconds(5)).until(() -> probe.wasInterrupted(delivery));
        d.findElement(By.linkText(Long.toString(delivery))).click();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> d
                .findElement(By.cssSelector("[data-broadcast]")).getText()
                .contains("the delivery to node " + node + " of job " + job.id()));
        assertThat(state(d)).isEqualTo("cancelled");
        browser.screenshot("broadcast-delivery");
    }

    @Test
    void snoozingPostponesAWaitingJob() {
        JobView job = shigoto.insert(JobRequest.of("echo").queue("parked"));
        WebDriver d = open("/jobs/" + job.id());
        var seconds = d.findElement(By.name("seconds"));
        seconds.clear();
        seconds.sendKeys("3600");
        act(d, By.xpath("//button[text()='Snooze']"));
        assertThat(state(d)).isEqualTo("scheduled");
        assertThat(shigoto.job(job.id()).orElseThrow().scheduledAt()).isAfter(java.time.Instant.now()
                .plus(Duration.ofMinutes(50)));
    }

    @Test
    void pausingAQueueStopsItsJobsUntilResumed() throws Exception {
        WebDriver d = open("");
        act(d, By.xpath("//tr[@data-queue='pausable']//button[text()='Pause']"));
        assertThat(d.findElement(By.xpath("//tr[@data-queue='pausable']//span[contains(@class,'badge')]")).getText())
                .isEqualTo("paused");
        browser.screenshot("queue-paused");
        JobView job = shigoto.insert(JobRequest.of("echo").queue("pausable"));
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> shigoto.job(job.id()).orElseThrow().state() == JobState.AVAILABLE);
        act(d, By.xpath("//tr[@data-queue='pausable']//button[text()='Resume']"));
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
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> d.findElement(By.tagName("main")).getText().contains("This will retry 3 job(s)"));
        browser.screenshot("bulk-confirm");
        act(d, By.xpath("//button[starts-with(text(),'Yes')]"));
        assertThat(d.findElement(By.cssSelector(".flash")).getText()).isEqualTo("Retrying 3 jobs");
        await().atMost(Jobs.PATIENCE).until(() -> shigoto.jobs(io.quarkiverse.shigoto.JobFilter.all().tags(tag)
                .states(JobState.COMPLETED), 0, 10).size() == 3);
    }

    @Test
    void aProgressBarAndTheStateAdvanceWithoutAReload() throws Exception {
        JobView job = shigoto.insert(JobRequest.of("holding").arg("progress", 40));
        awaitState(shigoto, job.id(), JobState.EXECUTING);
        await().atMost(Jobs.PATIENCE).until(() -> Integer.valueOf(40).equals(shigoto.job(job.id()).orElseThrow()
                .progress()));
        WebDriver d = open("/jobs/" + job.id());
        assertThat(progress(d)).isEqualTo("40");
        // marks this page load: a reload would lose it
        ((org.openqa.selenium.JavascriptExecutor) d).executeScript("window.notReloaded = true;");
        shigoto.reportProgress(job.id(), 70);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .conditionEvaluationListener(c -> {
                    if (c.getRemainingTimeInMS() <= 100) {
                        System.out.println("browser console:\n" + browser.console());
                    }
                }).until(() -> "70".equals(progress(d)));
        browser.screenshot("progress-live");
        probe.release(job.id());
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> state(d).equals("completed"));
        assertThat(((org.openqa.selenium.JavascriptExecutor) d).executeScript("return window.notReloaded === true;"))
                .isEqualTo(true);
    }

    @Test
    void selectedRowsAreRetriedAfterAConfirmationWithTheirCount() throws Exception {
        String tag = "s-" + UUID.randomUUID().toString().substring(0, 8);
        JobView[] jobs = new JobView[3];
        for (int i = 0; i < 3; i++) {
            jobs[i] = shigoto.insert(JobRequest.of(ScriptedWorker.class).arg("outcome", "throw").arg("untilRun", 2)
                    .arg("token", 50 + i).maxAttempts(1).tags(tag));
            awaitState(shigoto, jobs[i].id(), JobState.DISCARDED);
        }
        WebDriver d = open("/jobs?tag=" + tag);
        d.findElement(By.cssSelector("input[aria-label=\"select job " + jobs[0].id() + "\"]")).click();
        d.findElement(By.cssSelector("input[aria-label=\"select job " + jobs[2].id() + "\"]")).click();
        WebElement page = d.findElement(By.tagName("html"));
        d.findElement(By.cssSelector("form.selection button[data-verb=\"Retry\"]")).click();
        var alert = await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> d.switchTo().alert(),
                a -> a != null);
        assertThat(alert.getText()).isEqualTo("Retry 2 selected jobs?");
        alert.accept();
        await().atMost(Duration.ofSeconds(10)).until(() -> isStale(page));
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> d.findElement(By.cssSelector(".flash"))
                .getText().equals("Retrying 2 of the selected jobs"));
        awaitState(shigoto, jobs[0].id(), JobState.COMPLETED);
        awaitState(shigoto, jobs[2].id(), JobState.COMPLETED);
        assertThat(shigoto.job(jobs[1].id()).orElseThrow().state()).isEqualTo(JobState.DISCARDED);
    }

    private static String progress(WebDriver d) {
        try {
            var bars = d.findElements(By.cssSelector("[data-live=\"job\"] progress"));
            return bars.isEmpty() ? null : bars.get(0).getAttribute("value");
        } catch (StaleElementReferenceException e) {
            return null;
        }
    }
}
