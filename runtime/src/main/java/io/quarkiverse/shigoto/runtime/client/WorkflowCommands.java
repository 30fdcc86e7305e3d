package io.quarkiverse.shigoto.runtime.client;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.InvalidWorkflowException;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.Workflow;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;
import io.quarkiverse.shigoto.runtime.store.NewJob;
import io.quarkiverse.shigoto.runtime.worker.JobRequests;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;

/**
 * Checks a {@link Workflow} as a whole before anything is stored, flattens its sub-workflows into steps named
 * {@code "outer/inner"}, and orders the steps so that every step comes after its parents: the insert stores them in
 * that order, layer by layer, each layer waiting for the ids of the ones before through the dependency edges.
 */
final class WorkflowCommands {

    /** The most steps one workflow may have, sub-workflows' steps included. */
    static final int MAX_STEPS = 10_000;

    /**
     * A workflow ready to be stored.
     *
     * @param names the steps' names, parents before children
     * @param jobs the steps' jobs, in the same order, with the dependencies they were given outside the workflow
     * @param parents for each step, the indexes (into {@code names}) of the steps it comes after
     * @param layers the indexes of the steps in each layer: a layer's steps come only after steps of earlier layers
     */
    record Planned(String name, String metaJson, List<String> names, List<NewJob> jobs, int[][] parents,
            List<int[]> layers) {

        /** @return step {@code i}'s job, waiting for its parents' jobs (by their ids) as well as its own */
        NewJob job(int i, long[] ids) {
            NewJob job = jobs.get(i);
            int[] ps = parents[i];
            if (ps.length == 0) {
                return job;
            }
            long[] own = job.dependsOn();
            long[] all = Arrays.copyOf(own, own.length + ps.length);
            for (int k = 0; k < ps.length; k++) {
                all[own.length + k] = ids[ps[k]];
            }
            return job.withDependsOn(all);
        }
    }

    /** A step of the flattened workflow. */
    private record Node(String name, JobRequest request, Set<String> parents) {
    }

    /** A workflow (or sub-workflow) flattened: its steps, and which of them wait for no step of it or end it. */
    private record Graph(List<String> roots, List<String> sinks) {
    }

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Set<String> problems = new LinkedHashSet<>();
    private final Set<String> named = new LinkedHashSet<>();
    private final IdentityHashMap<Workflow, Boolean> open = new IdentityHashMap<>();

    private WorkflowCommands() {
    }

    /**
     * @throws InvalidWorkflowException listing every problem: names used twice, unknown or blank, steps after unknown
     *         steps, cycles, and steps whose requests are wrong (or unique: a step is a job of its own workflow)
     */
    static Planned plan(WorkerCatalog catalog, Workflow workflow, Instant now) {
        WorkflowCommands w = new WorkflowCommands();
        String name = workflow.name();
        if (name != null && (name.isBlank() || name.length() > BatchCommands.MAX_NAME)) {
            w.problem("a workflow name must be 1 to " + BatchCommands.MAX_NAME + " characters, not "
                    + (name.isBlank() ? "blank" : name.length() + " long"));
        }
        String metaJson = null;
        try {
            metaJson = JsonCodec.writeValue(workflow.meta(), "meta");
        } catch (IllegalArgumentException e) {
            w.problem("the workflow's meta cannot be stored as JSON: " + e.getMessage());
        }
        w.flatten(workflow, "");
        if (w.nodes.isEmpty() && w.problems.isEmpty()) {
            w.problem("a workflow needs at least one step");
        }
        if (w.nodes.size() > MAX_STEPS) {
            w.problem("a workflow has at most " + MAX_STEPS + " steps, this one " + w.nodes.size());
        }
        Map<String, NewJob> resolved = new HashMap<>();
        for (Node n : w.nodes.values()) {
            try {
                NewJob job = JobRequests.resolve(catalog, n.request(), now);
                if (job.unique()) {
                    w.problem("step '" + n.name() + "' is unique: a step is a job of its own workflow, so it takes no"
                            + " unique options", n.name());
                }
                resolved.put(n.name(), job);
            } catch (InvalidJobException e) {
                w.problem("step '" + n.name() + "': " + e.getMessage(), n.name());
            }
        }
        List<String> order = w.order();
        if (!w.problems.isEmpty()) {
            throw new InvalidWorkflowException("the workflow" + (name == null || name.isBlank() ? "" : " '" + name + "'")
                    + " was not stored: " + String.join("; ", w.problems), new ArrayList<>(w.named));
        }
        List<NewJob> jobs = order.stream().map(resolved::get).toList();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            index.put(order.get(i), i);
        }
        int[][] parents = new int[order.size()][];
        int[] layerOf = new int[order.size()];
        List<List<Integer>> layers = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            Set<String> ps = w.nodes.get(order.get(i)).parents();
            parents[i] = ps.stream().mapToInt(index::get).toArray();
            int layer = 0;
            for (int p : parents[i]) {
                layer = Math.max(layer, layerOf[p] + 1);
            }
            layerOf[i] = layer;
            while (layers.size() <= layer) {
                layers.add(new ArrayList<>());
            }
            layers.get(layer).add(i);
        }
        List<int[]> layerIndexes = layers.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toList();
        return new Planned(name, metaJson, order, jobs, parents, layerIndexes);
    }

    private void problem(String message, String... steps) {
        problems.add(message);
        named.addAll(List.of(steps));
    }

    /** Adds a workflow's steps under a name prefix; answers its first and last steps. */
    private Graph flatten(Workflow workflow, String prefix) {
        if (open.put(workflow, Boolean.TRUE) != null) {
            String step = prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1);
            problem("step '" + step + "' contains a workflow that contains it", step);
            return new Graph(List.of(), List.of());
        }
        // pass 1: the names this workflow defines, each once
        Map<String, Workflow.Step> local = new LinkedHashMap<>();
        for (Workflow.Step s : workflow.steps()) {
            String full = prefix + s.name();
            String bad = nameProblem(s.name());
            if (bad != null) {
                problem("step '" + full + "' " + bad, full);
            } else if (local.putIfAbsent(s.name(), s) != null) {
                problem("step '" + full + "' is added twice", full);
            }
        }
        // pass 2: the sub-workflows' steps, then each step's parents (a sub-workflow stands for its last steps)
        Map<String, Graph> subs = new HashMap<>();
        for (Workflow.Step s : local.values()) {
            if (s.workflow() != null) {
                if (s.workflow().steps().isEmpty()) {
                    problem("step '" + prefix + s.name() + "' is a workflow without steps", prefix + s.name());
                }
                subs.put(s.name(), flatten(s.workflow(), prefix + s.name() + "/"));
            }
        }
        Set<String> referenced = new LinkedHashSet<>();
        List<String> roots = new ArrayList<>();
        for (Workflow.Step s : local.values()) {
            String full = prefix + s.name();
            Set<String> parents = new LinkedHashSet<>();
            for (String after : s.after()) {
                if (after.equals(s.name())) {
                    problem("step '" + full + "' comes after itself", full);
                } else if (!local.containsKey(after)) {
                    problem("step '" + full + "' comes after '" + after + "', which is no step of "
                            + (prefix.isEmpty() ? "this workflow"
                                    : "'" + prefix.substring(0, prefix.length() - 1)
                                            + "'"),
                            full);
                } else {
                    referenced.add(after);
                    Graph sub = subs.get(after);
                    parents.addAll(sub != null ? sub.sinks() : List.of(prefix + after));
                }
            }
            Graph sub = subs.get(s.name());
            if (sub == null) {
                nodes.put(full, new Node(full, s.job(), parents));
                if (parents.isEmpty()) {
                    roots.add(full);
                }
            } else {
                for (String root : sub.roots()) {
                    nodes.get(root).parents().addAll(parents);
                }
                if (parents.isEmpty()) {
                    roots.addAll(sub.roots());
                }
            }
        }
        List<String> sinks = new ArrayList<>();
        for (Workflow.Step s : local.values()) {
            if (!referenced.contains(s.name())) {
                Graph sub = subs.get(s.name());
                sinks.addAll(sub != null ? sub.sinks() : List.of(prefix + s.name()));
            }
        }
        open.remove(workflow);
        return new Graph(roots, sinks);
    }

    private static String nameProblem(String name) {
        if (name == null || name.isBlank()) {
            return "has no name: a step needs one";
        }
        if (name.length() > Workflow.MAX_STEP_NAME) {
            return "has a name of " + name.length() + " characters, more than " + Workflow.MAX_STEP_NAME;
        }
        if (name.indexOf('/') >= 0) {
            return "has a '/' in its name, which names a sub-workflow's steps";
        }
        return null;
    }

    /**
     * @return the steps, each after all its parents and otherwise in the order added; on a cycle, records it as a
     *         problem (naming its steps in order) and answers nothing
     */
    private List<String> order() {
        Map<String, Integer> waiting = new HashMap<>();
        Map<String, List<String>> children = new HashMap<>();
        for (Node n : nodes.values()) {
            waiting.put(n.name(), n.parents().size());
            for (String p : n.parents()) {
                children.computeIfAbsent(p, k -> new ArrayList<>()).add(n.name());
            }
        }
        List<String> order = new ArrayList<>(nodes.size());
        Deque<String> ready = new ArrayDeque<>();
        for (Node n : nodes.values()) {
            if (n.parents().isEmpty()) {
                ready.add(n.name());
            }
        }
        while (!ready.isEmpty()) {
            String step = ready.poll();
            order.add(step);
            for (String child : children.getOrDefault(step, List.of())) {
                if (waiting.merge(child, -1, Integer::sum) == 0) {
                    ready.add(child);
                }
            }
        }
        if (order.size() < nodes.size()) {
            reportCycles(waiting);
            return List.of();
        }
        return order;
    }

    /** Names the cycles among the steps that never became ready, each once. */
    private void reportCycles(Map<String, Integer> waiting) {
        Set<String> done = new LinkedHashSet<>();
        Map<String, Integer> added = new HashMap<>();
        for (String step : nodes.keySet()) {
            added.put(step, added.size());
        }
        for (Node start : nodes.values()) {
            if (waiting.get(start.name()) == 0 || done.contains(start.name())) {
                continue;
            }
            // walk parents among the stuck steps until a step repeats: every stuck step has a stuck parent
            List<String> path = new ArrayList<>();
            Map<String, Integer> at = new HashMap<>();
            String step = start.name();
            while (step != null && !at.containsKey(step) && !done.contains(step)) {
                at.put(step, path.size());
                path.add(step);
                String next = null;
                for (String p : nodes.get(step).parents()) {
                    if (waiting.get(p) > 0) {
                        next = p;
                        break;
                    }
                }
                step = next;
            }
            if (step != null && at.containsKey(step)) {
                List<String> cycle = new ArrayList<>(path.subList(at.get(step), path.size()));
                Collections.reverse(cycle);
                // shown from the step added first
                int first = 0;
                for (int k = 1; k < cycle.size(); k++) {
                    if (added.get(cycle.get(k)) < added.get(cycle.get(first))) {
                        first = k;
                    }
                }
                Collections.rotate(cycle, -first);
                List<String> shown = new ArrayList<>(cycle);
                shown.add(cycle.get(0));
                problem("steps form a cycle: " + String.join(" → ", shown.stream().map(s -> "'" + s + "'").toList()),
                        cycle.toArray(String[]::new));
            }
            done.addAll(path);
        }
    }
}
