package dev.portmanager;

import java.util.List;
import java.util.Objects;

/**
 * The verdict of {@link PortManager#check(List)} on each planned binding: whether it can be made, and if not, what is
 * in the way. Immutable and thread-safe.
 *
 * @param results one per planned binding, in order
 */
public record CheckReport(List<Result> results) {

    /** Copies the list. @throws NullPointerException if it is null */
    public CheckReport {
        results = List.copyOf(results);
    }

    /** Whether every binding can be made. */
    public boolean ok() {
        return results.stream().allMatch(r -> r.verdict() == Verdict.OK);
    }

    /** The bindings that cannot be made. */
    public List<Result> problems() {
        return results.stream().filter(r -> r.verdict() != Verdict.OK).toList();
    }

    /** What stands in a binding's way. */
    public enum Verdict {
        /** Nothing: the port is free, or allocated to this very service. */
        OK,
        /** Another binding of the same plan wants the same socket. */
        CLASH_IN_PLAN,
        /** The registry has the port allocated to another service. */
        ALLOCATED_TO_OTHER,
        /** A process on this machine holds the port now. */
        IN_USE
    }

    /**
     * One binding's verdict.
     *
     * @param binding the planned binding
     * @param verdict what stands in its way
     * @param detail  who: the other binding, the allocation, or the process; empty when OK
     */
    public record Result(PlannedBinding binding, Verdict verdict, String detail) {
        /** Checks the components. @throws NullPointerException if one is null */
        public Result {
            Objects.requireNonNull(binding, "binding == null");
            Objects.requireNonNull(verdict, "verdict == null");
            Objects.requireNonNull(detail, "detail == null");
        }

        @Override
        public String toString() {
            return binding + ": " + verdict + (detail.isEmpty() ? "" : " (" + detail + ")");
        }
    }
}
