package io.quarkiverse.shigoto.runtime.dashboard;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkiverse.shigoto.WorkflowView;

/**
 * A workflow's dependency graph drawn as SVG on the server: a layered layout, one column per layer (a step stands one
 * column right of its furthest parent), steps ordered within a layer by the mean row of their parents, so that
 * edges mostly run straight; each step a box coloured by its job's state, linking to its job. Shorter columns are
 * centred against the tallest, so a fan-out spreads both ways from its parent. A layer is never wrapped into more
 * columns: edges into a wrapped column would cross the boxes before it (tried: unreadable at 200 steps); a wide
 * layer makes the graph tall instead, and the page scrolls it.
 */
final class WorkflowGraph {

    static final int BOX_WIDTH = 168;
    static final int BOX_HEIGHT = 34;
    static final int COLUMN_GAP = 56;
    static final int ROW_GAP = 12;
    static final int MARGIN = 8;
    /** Characters of a step's name shown in its box; the whole name is in its tooltip. */
    static final int LABEL_CHARS = 22;

    /**
     * Where each step goes.
     *
     * @param column its layer
     * @param row its place in the layer
     */
    record Place(int column, int row) {
    }

    private WorkflowGraph() {
    }

    /** @return each step's place, by step name; steps come parents first, as a workflow view lists them */
    static Map<String, Place> layout(List<WorkflowView.Step> steps) {
        Map<String, Integer> layerOf = new HashMap<>();
        int layerCount = 0;
        for (WorkflowView.Step s : steps) {
            int c = 0;
            for (String p : s.after()) {
                Integer pc = layerOf.get(p);
                if (pc != null) {
                    c = Math.max(c, pc + 1);
                }
            }
            layerOf.put(s.name(), c);
            layerCount = Math.max(layerCount, c + 1);
        }
        List<List<WorkflowView.Step>> layers = new ArrayList<>();
        for (int i = 0; i < layerCount; i++) {
            layers.add(new ArrayList<>());
        }
        for (WorkflowView.Step s : steps) {
            layers.get(layerOf.get(s.name())).add(s);
        }
        Map<String, Place> places = new HashMap<>();
        for (int c = 0; c < layerCount; c++) {
            List<WorkflowView.Step> layer = layers.get(c);
            if (c > 0) {
                // the mean place of its parents (placed already, in earlier layers); stable for ties
                Map<String, Double> weight = new HashMap<>();
                for (int i = 0; i < layer.size(); i++) {
                    WorkflowView.Step s = layer.get(i);
                    double sum = 0;
                    int n = 0;
                    for (String p : s.after()) {
                        Place pp = places.get(p);
                        if (pp != null) {
                            sum += pp.row();
                            n++;
                        }
                    }
                    weight.put(s.name(), n == 0 ? i : sum / n);
                }
                layer.sort((a, b) -> Double.compare(weight.get(a.name()), weight.get(b.name())));
            }
            for (int r = 0; r < layer.size(); r++) {
                places.put(layer.get(r).name(), new Place(c, r));
            }
        }
        return places;
    }

    /** @return the graph as an SVG element, every text escaped */
    static String svg(String base, List<WorkflowView.Step> steps) {
        Map<String, Place> places = layout(steps);
        int columns = 0;
        int rows = 0;
        Map<Integer, Integer> heights = new HashMap<>();
        for (Place p : places.values()) {
            columns = Math.max(columns, p.column() + 1);
            rows = Math.max(rows, p.row() + 1);
            heights.merge(p.column(), p.row() + 1, Math::max);
        }
        // a shorter column is centred against the tallest
        int[] offset = new int[columns];
        for (int c = 0; c < columns; c++) {
            offset[c] = (rows - heights.getOrDefault(c, rows)) * (BOX_HEIGHT + ROW_GAP) / 2;
        }
        int width = 2 * MARGIN + columns * BOX_WIDTH + Math.max(0, columns - 1) * COLUMN_GAP;
        int height = 2 * MARGIN + rows * BOX_HEIGHT + Math.max(0, rows - 1) * ROW_GAP;
        StringBuilder svg = new StringBuilder(256 + steps.size() * 400);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"workflow-graph\" role=\"img\" width=\"")
                .append(width).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width)
                .append(' ').append(height).append("\" aria-label=\"dependency graph of ").append(steps.size())
                .append(" steps\">");
        svg.append("<defs><marker id=\"arrow\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerWidth=\"7\""
                + " markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\"/></marker></defs>");
        svg.append("<g class=\"edges\">");
        for (WorkflowView.Step s : steps) {
            Place to = places.get(s.name());
            for (String parent : s.after()) {
                Place from = places.get(parent);
                if (from == null) {
                    continue;
                }
                int x1 = x(from) + BOX_WIDTH;
                int y1 = y(from, offset) + BOX_HEIGHT / 2;
                int x2 = x(to);
                int y2 = y(to, offset) + BOX_HEIGHT / 2;
                int mid = (x1 + x2) / 2;
                svg.append("<path data-edge=\"").append(escape(parent)).append(" → ").append(escape(s.name()))
                        .append("\" d=\"M").append(x1).append(',').append(y1).append(" C").append(mid).append(',')
                        .append(y1).append(' ').append(mid).append(',').append(y2).append(' ').append(x2).append(',')
                        .append(y2).append("\" marker-end=\"url(#arrow)\"/>");
            }
        }
        svg.append("</g><g class=\"steps\">");
        for (WorkflowView.Step s : steps) {
            Place p = places.get(s.name());
            String state = s.state() == null ? "pruned" : s.state().dbName();
            svg.append("<a href=\"").append(escape(base)).append("/jobs/").append(s.jobId()).append("\" data-step=\"")
                    .append(escape(s.name())).append("\" data-state=\"").append(state).append("\">");
            svg.append("<title>").append(escape(s.name())).append(" · job ").append(s.jobId()).append(" · ")
                    .append(escape(s.kind() == null ? "?" : s.kind())).append(" · ").append(state).append("</title>");
            svg.append("<rect class=\"node ").append(state).append("\" x=\"").append(x(p)).append("\" y=\"")
                    .append(y(p, offset)).append("\" width=\"").append(BOX_WIDTH).append("\" height=\"").append(BOX_HEIGHT)
                    .append("\" rx=\"5\"/>");
            svg.append("<text x=\"").append(x(p) + 8).append("\" y=\"").append(y(p, offset) + 14).append("\">")
                    .append(escape(label(s.name()))).append("</text>");
            svg.append("<text class=\"sub\" x=\"").append(x(p) + 8).append("\" y=\"").append(y(p, offset) + 28).append("\">")
                    .append(state).append(" · ").append(s.jobId()).append("</text>");
            svg.append("</a>");
        }
        svg.append("</g></svg>");
        return svg.toString();
    }

    private static int x(Place p) {
        return MARGIN + p.column() * (BOX_WIDTH + COLUMN_GAP);
    }

    private static int y(Place p, int[] offset) {
        return MARGIN + offset[p.column()] + p.row() * (BOX_HEIGHT + ROW_GAP);
    }

    static String label(String name) {
        if (name.length() <= LABEL_CHARS) {
            return name;
        }
        int end = LABEL_CHARS - 1;
        // never half of a surrogate pair
        if (Character.isHighSurrogate(name.charAt(end - 1))) {
            end--;
        }
        return name.substring(0, end) + "…";
    }

    static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }
}
