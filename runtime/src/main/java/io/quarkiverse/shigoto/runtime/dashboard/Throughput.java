package io.quarkiverse.shigoto.runtime.dashboard;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import io.quarkiverse.shigoto.runtime.store.MaintenanceStore.MinuteStats;

/**
 * The overview's throughput chart: one stacked bar per minute of the last hour, completed jobs below, failed
 * attempts (retried or discarded) above, drawn as SVG on the server so it needs no script and no chart library.
 *
 * @param bars the bars, oldest first
 * @param completed jobs completed in the hour
 * @param failed attempts failed in the hour (retried or discarded)
 * @param peak the largest per-minute total, the chart's scale
 */
public record Throughput(List<Bar> bars, long completed, long failed, long peak) {

    /** The chart's drawing height; bars are scaled so the peak fills it. */
    public static final int HEIGHT = 100;
    /** How wide one minute's bar is, gap included. */
    public static final int STEP = 10;
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    /**
     * One minute.
     *
     * @param x where the bar starts
     * @param okY the top of the completed part
     * @param okHeight the height of the completed part
     * @param failedY the top of the failed part
     * @param failedHeight the height of the failed part
     * @param title what the minute holds, for the tooltip
     */
    public record Bar(int x, int okY, int okHeight, int failedY, int failedHeight, String title) {
    }

    static Throughput of(List<MinuteStats> minutes) {
        long peak = 0;
        long completed = 0;
        long failed = 0;
        for (MinuteStats m : minutes) {
            long bad = m.failed() + m.discarded();
            peak = Math.max(peak, m.completed() + bad);
            completed += m.completed();
            failed += bad;
        }
        List<Bar> bars = new ArrayList<>(minutes.size());
        int x = 0;
        for (MinuteStats m : minutes) {
            long bad = m.failed() + m.discarded();
            int ok = scale(m.completed(), peak);
            int no = scale(bad, peak);
            String title = MINUTE.format(m.minute()) + " UTC: " + m.completed() + " completed, " + m.failed()
                    + " failed and retried, " + m.discarded() + " discarded, " + m.cancelled() + " cancelled";
            bars.add(new Bar(x, HEIGHT - ok, ok, HEIGHT - ok - no, no, title));
            x += STEP;
        }
        return new Throughput(bars, completed, failed, peak);
    }

    // a minute with any job shows at least one pixel
    private static int scale(long n, long peak) {
        if (n == 0 || peak == 0) {
            return 0;
        }
        return (int) Math.max(1, Math.round((double) n * HEIGHT / peak));
    }

    /** @return the drawing's height */
    public int height() {
        return HEIGHT;
    }

    /** @return the drawing's width */
    public int width() {
        return Math.max(STEP, bars.size() * STEP);
    }
}
