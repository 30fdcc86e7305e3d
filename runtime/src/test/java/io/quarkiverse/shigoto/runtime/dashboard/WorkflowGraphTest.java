package io.quarkiverse.shigoto.runtime.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.WorkflowView;

class WorkflowGraphTest {

    private static WorkflowView.Step step(String name, long id, String... after) {
        return new WorkflowView.Step(name, id, "k", JobState.PENDING, List.of(after), null);
    }

    @Test
    void eachStepStandsOneLayerRightOfItsFurthestParent() {
        Map<String, WorkflowGraph.Place> places = WorkflowGraph.layout(List.of(step("a", 1), step("b", 2, "a"),
                step("c", 3, "a"), step("d", 4, "b"), step("e", 5, "a", "d")));
        assertThat(places.get("a").column()).isZero();
        assertThat(places.get("b").column()).isEqualTo(1);
        assertThat(places.get("c").column()).isEqualTo(1);
        assertThat(places.get("d").column()).isEqualTo(2);
        assertThat(places.get("e").column()).as("after d, however early a is").isEqualTo(3);
    }

    @Test
    void stepsAreOrderedByTheirParentsRowsSoEdgesRunStraight() {
        // x and y in layer 1; u after y and v after x in layer 2: v is drawn above u
        Map<String, WorkflowGraph.Place> places = WorkflowGraph.layout(List.of(step("x", 1), step("y", 2),
                step("u", 3, "y"), step("v", 4, "x")));
        assertThat(places.get("v").row()).isLessThan(places.get("u").row());
    }

    @Test
    void aShorterColumnIsCentredAgainstTheTallest() {
        List<WorkflowView.Step> steps = new ArrayList<>();
        steps.add(step("start", 0));
        String[] middles = new String[5];
        for (int i = 0; i < middles.length; i++) {
            middles[i] = "m" + i;
            steps.add(step(middles[i], i + 1, "start"));
        }
        steps.add(step("end", 100, middles));
        Map<String, WorkflowGraph.Place> places = WorkflowGraph.layout(steps);
        assertThat(places.get("m4").column()).isEqualTo(1);
        assertThat(places.get("m4").row()).isEqualTo(4);
        assertThat(places.get("end").column()).isEqualTo(2);
        String svg = WorkflowGraph.svg("/shigoto", steps);
        int rowHeight = WorkflowGraph.BOX_HEIGHT + WorkflowGraph.ROW_GAP;
        // start and end stand level with m2, the middle of five
        int middle = WorkflowGraph.MARGIN + 2 * rowHeight;
        assertThat(svg).contains("<rect class=\"node pending\" x=\"" + WorkflowGraph.MARGIN + "\" y=\"" + middle + "\"")
                .contains("height=\"" + (2 * WorkflowGraph.MARGIN + 5 * WorkflowGraph.BOX_HEIGHT
                        + 4 * WorkflowGraph.ROW_GAP) + "\"");
    }

    @Test
    void namesAreEscapedAndCutInTheirBoxesButWholeInTheirTooltips() {
        String svg = WorkflowGraph.svg("/shigoto", List.of(step("<script>alert('x')</script> & a very long name", 7)));
        assertThat(svg).doesNotContain("<script>")
                .contains("<title>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; a very long name · job 7 · k"
                        + " · pending</title>")
                .contains(">&lt;script&gt;alert(&#39;x&#39;)&lt;/s…</text>")
                .contains("<a href=\"/shigoto/jobs/7\"");
        assertThat(WorkflowGraph.label("short")).isEqualTo("short");
        assertThat(WorkflowGraph.label("a".repeat(20) + "\uD83D\uDE00xyz")).isEqualTo("a".repeat(20) + "…");
    }
}
