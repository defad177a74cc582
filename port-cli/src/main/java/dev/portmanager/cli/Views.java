package dev.portmanager.cli;

import dev.portmanager.Allocation;
import dev.portmanager.ResourceUsage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The model as table cells and human text; its JSON form is port-wire's. */
final class Views {
    private Views() {
    }

    static List<String> allocationHeader() {
        return List.of("PORT", "PROTO", "HOST", "PROJECT", "SERVICE", "ENV", "RANGE", "STATUS", "EXPIRES", "DESCRIPTION");
    }

    static List<String> allocationRow(Allocation a, Instant now) {
        return List.of(String.valueOf(a.port()), lower(a.protocol()), a.host(), a.project(), a.service(),
                a.environment(), a.range().orElse("-"), lower(a.status()),
                a.expiresAt().map(e -> "in " + human(Duration.between(now, e))).orElse("-"), a.description());
    }

    /** {@code 0.0.0.0:8080}, {@code [::1]:6001}: an IPv6 address in brackets, so the port stays apart. */
    static String socket(String address, int port) {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    /** A process's CPU time ({@code 1.25 s}); {@code -} when no process runs. */
    static String cpu(Optional<ResourceUsage> use) {
        return use.map(ResourceUsage::cpuText).orElse("-");
    }

    /** A process's resident memory ({@code 52.4 MB}); {@code -} when no process runs. */
    static String memory(Optional<ResourceUsage> use) {
        return use.map(ResourceUsage::memoryText).orElse("-");
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** {@code 9m 59s}, {@code 2h 5m}, {@code 3d 4h}; {@code expired} for a negative duration. */
    static String human(Duration d) {
        if (d.isNegative()) {
            return "expired";
        }
        long s = d.getSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m " + s % 60 + "s";
        }
        if (s < 86400) {
            return s / 3600 + "h " + s % 3600 / 60 + "m";
        }
        return s / 86400 + "d " + s % 86400 / 3600 + "h";
    }
}
