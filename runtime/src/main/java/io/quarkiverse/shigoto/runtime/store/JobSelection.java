package io.quarkiverse.shigoto.runtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

import io.quarkiverse.shigoto.JobState;

/**
 * Which jobs a bulk action or listing applies to, already resolved (worker classes turned into kinds, args written as
 * JSON). It renders as a fixed set of conditions whose values are all bound, except the states: those are written as
 * literals (each checked to be a state's name), because a state bound as text and cast to the enum reaches the planner
 * as an expression it cannot fold, which hides every state-partial index from it (the executing, pending, due and
 * finished indexes).
 *
 * @param ids job ids, or {@code null} for any
 * @param kinds kinds, empty for any
 * @param queues queues, empty for any
 * @param states state names, empty for any
 * @param tags tags a job must all have
 * @param argsJson a JSON object the args must contain, or {@code null}
 * @param partitionKey the partition key, or {@code null}
 * @param batch the batch of the jobs, or {@code null}
 */
public record JobSelection(long[] ids, List<String> kinds, List<String> queues, List<String> states, List<String> tags,
        String argsJson, String partitionKey, Long batch) {

    /** A selection of jobs of any batch. */
    public JobSelection(long[] ids, List<String> kinds, List<String> queues, List<String> states, List<String> tags,
            String argsJson, String partitionKey) {
        this(ids, kinds, queues, states, tags, argsJson, partitionKey, null);
    }

    /** @return the selection of one job */
    public static JobSelection of(long id) {
        return new JobSelection(new long[] { id }, List.of(), List.of(), List.of(), List.of(), null, null);
    }

    /** @return a selection no job matches (an empty id list): no statement is sent for it */
    public static JobSelection none() {
        return new JobSelection(new long[0], List.of(), List.of(), List.of(), List.of(), null, null);
    }

    /** @return whether nothing can match (an empty id list) */
    boolean empty() {
        return ids != null && ids.length == 0;
    }

    /** Renders the conditions into a statement's {@code {where}} token, each starting with {@code AND}. */
    String render(String sql, Schema schema) {
        StringBuilder where = new StringBuilder();
        if (ids != null) {
            where.append(" AND id = ANY(?::bigint[])");
        }
        if (!kinds.isEmpty()) {
            where.append(" AND kind = ANY(?::text[])");
        }
        if (!queues.isEmpty()) {
            where.append(" AND queue = ANY(?::text[])");
        }
        if (!states.isEmpty()) {
            StringJoiner literals = new StringJoiner(", ", " AND state IN (", ")");
            for (String state : states) {
                literals.add("'" + JobState.fromDb(state).dbName() + "'");
            }
            where.append(literals);
            if (states.size() == 1 && JobState.fromDb(states.get(0)) == JobState.EXECUTING) {
                // every claim names its node; saying so lets the executing-by-node index serve the selection
                where.append(" AND attempted_by IS NOT NULL");
            }
        }
        if (!tags.isEmpty()) {
            where.append(" AND tags @> ?::text[]");
        }
        if (argsJson != null) {
            where.append(" AND args @> ?::jsonb");
        }
        if (partitionKey != null) {
            where.append(" AND partition_key = ?");
        }
        if (batch != null) {
            where.append(" AND batch_id = ?");
        }
        return schema.render(sql).replace("{where}", where);
    }

    /**
     * Binds the values of the conditions, in the order {@link #render} placed them.
     *
     * @return the next parameter index
     */
    int bind(Connection c, PreparedStatement st, int index) throws SQLException {
        if (ids != null) {
            st.setArray(index++, PgArrays.bigints(c, ids));
        }
        for (List<String> values : lists()) {
            st.setArray(index++, c.createArrayOf("text", values.toArray()));
        }
        if (argsJson != null) {
            st.setString(index++, argsJson);
        }
        if (partitionKey != null) {
            st.setString(index++, partitionKey);
        }
        if (batch != null) {
            st.setLong(index++, batch);
        }
        return index;
    }

    private List<List<String>> lists() {
        List<List<String>> lists = new ArrayList<>(3);
        for (List<String> l : List.of(kinds, queues, tags)) {
            if (!l.isEmpty()) {
                lists.add(l);
            }
        }
        return lists;
    }
}
