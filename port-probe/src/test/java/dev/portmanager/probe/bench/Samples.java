package dev.portmanager.probe.bench;

import java.util.Arrays;

/** Timings of one operation, in nanoseconds, with the order statistics the report quotes. */
final class Samples {
    private long[] values = new long[64];
    private int count;

    void add(long nanos) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = nanos;
    }

    int count() {
        return count;
    }

    /** The value at quantile q (0..1) of the sorted samples, nearest rank. */
    double quantile(double q) {
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int index = (int) Math.ceil(q * count) - 1;
        return sorted[Math.max(0, Math.min(count - 1, index))];
    }

    double median() {
        return quantile(0.5);
    }

    /** {@code 12.34 ms (p10 11.00, p90 15.20)}. */
    String millis() {
        return String.format("%.2f ms (p10 %.2f, p90 %.2f)", median() / 1e6, quantile(0.1) / 1e6, quantile(0.9) / 1e6);
    }

    /** {@code 9.8 us (p10 9.1, p90 12.0)}. */
    String micros() {
        return String.format("%.1f us (p10 %.1f, p90 %.1f)", median() / 1e3, quantile(0.1) / 1e3, quantile(0.9) / 1e3);
    }
}
