package io.quarkiverse.shigoto.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URL;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.Workflow;
import io.quarkiverse.shigoto.WorkflowView;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A workflow's page in a real browser (Chromium): the server-drawn graph coloured by state, a step's box leading to
 * its job, live updates of the graph, and a graph of 200 steps. Screenshots go to
 * {@code integration-tests/target/screenshots/}.
 */
@QuarkusTest
class DashboardGraphBrowserTest {

    static Browser browser;

    @TestHTTPResource("/shigoto")
    URL dashboard;

    @Inject
    Shigoto shigoto;

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

    static JobRequest step(String name) {
        return JobRequest.of("workflow-step").arg("step", name).arg("value", 1);
    }

    static JobRequest parked(String name) {
        return step(name).queue(BatchTest.PARKED);
    }

    private static WebElement box(WebDriver d, String step) {
        return d.findElement(By.cssSelector("svg.workflow-graph a[data-step=\"" + step + "\"] rect"));
    }

    @Test
    void theGraphColoursStepsByStateLinksThemToTheirJobsAndFollowsChanges() throws Exception {
        WorkflowView flow = shigoto.insertWorkflow(Workflow.named("album in a browser")
                .add("fetch", step("fetch"))
                .add("resize-1", step("resize-1").arg("outcome", "fail"), Workflow.after("fetch"))
                .add("resize-2", parked("resize-2"), Workflow.after("fetch"))
                .add("publish", step("publish"), Workflow.after("resize-1", "resize-2")));
        Map<String, WorkflowView.Step> steps = flow.byName();
        Jobs.awaitState(shigoto, steps.get("publish").jobId(), JobState.CANCELLED);
        Jobs.awaitState(shigoto, steps.get("resize-2").jobId(), JobState.AVAILABLE);

        WebDriver d = browser.driver();
        d.get(dashboard + "/workflows/" + flow.id());
        assertThat(d.getTitle()).isEqualTo("shigoto · workflow " + flow.id());
        assertThat(d.findElements(By.cssSelector("svg.workflow-graph rect.node"))).hasSize(4);
        assertThat(box(d, "fetch").getAttribute("class")).isEqualTo("node completed");
        assertThat(box(d, "fetch").getCssValue("fill")).isEqualTo("rgb(227, 244, 232)");
        assertThat(box(d, "resize-1").getCssValue("fill")).isEqualTo("rgb(253, 232, 232)");
        assertThat(box(d, "resize-2").getAttribute("class")).isEqualTo("node available");
        // laid out in layers: the resizes one column right of fetch, publish one further
        int fetchX = Integer.parseInt(box(d, "fetch").getAttribute("x"));
        int resizeX = Integer.parseInt(box(d, "resize-2").getAttribute("x"));
        int publishX = Integer.parseInt(box(d, "publish").getAttribute("x"));
        assertThat(resizeX).isGreaterThan(fetchX);
        assertThat(publishX).isGreaterThan(resizeX);
        assertThat(d.findElements(By.cssSelector("svg.workflow-graph g.edges path"))).hasSize(4);
        browser.screenshot("workflow-graph");

        // live: the graph follows a change made elsewhere
        assertThat(shigoto.cancel(steps.get("resize-2").jobId())).isTrue();
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                .until(() -> box(d, "resize-2").getAttribute("class").equals("node cancelled"));

        d.findElement(By.cssSelector("svg.workflow-graph a[data-step=\"fetch\"]")).click();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> d.getCurrentUrl().endsWith("/shigoto/jobs/" + steps.get("fetch").jobId()));
        assertThat(d.findElement(By.cssSelector("[data-member]")).getText())
                .isEqualTo(flow.id() + " · step fetch");
    }

    @Test
    void aGraphOf200StepsIsDrawnWhole() throws Exception {
        Workflow wide = Workflow.named("two hundred steps").add("start", parked("start"));
        String[] middles = new String[198];
        for (int i = 0; i < middles.length; i++) {
            middles[i] = "resize-the-image-number-" + i;
            wide.add(middles[i], parked(middles[i]), Workflow.after("start"));
        }
        wide.add("end", parked("end"), Workflow.after(middles));
        WorkflowView flow = shigoto.insertWorkflow(wide);

        WebDriver d = browser.driver();
        d.get(dashboard + "/workflows/" + flow.id());
        assertThat(d.findElements(By.cssSelector("svg.workflow-graph rect.node"))).hasSize(200);
        assertThat(d.findElements(By.cssSelector("svg.workflow-graph g.edges path"))).hasSize(2 * 198);
        // a long name is cut in its box and whole in its tooltip
        WebElement label = d.findElement(By.cssSelector("a[data-step=\"resize-the-image-number-7\"] text"));
        assertThat(label.getText()).isEqualTo("resize-the-image-numb…");
        assertThat(d.findElement(By.cssSelector("a[data-step=\"resize-the-image-number-7\"] title"))
                .getAttribute("textContent")).startsWith("resize-the-image-number-7 · job ");
        assertThat(d.findElements(By.cssSelector("table[aria-label=Steps] tbody tr"))).hasSize(200);
        browser.screenshot("workflow-graph-200");
    }
}
