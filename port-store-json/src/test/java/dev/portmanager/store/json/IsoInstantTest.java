package dev.portmanager.store.json;

import org.junit.jupiter.api.Test;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IsoInstantTest {

    @Test
    void formatAndParse_agreeWithTheJdk_onRandomInstants() {
        Random random = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            long second = random.nextLong() % 253_402_300_799L;
            second = Math.abs(second);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(second, nano);
            String jdk = t.toString();
            assertEquals(jdk, IsoInstant.format(t));
            assertEquals(t, IsoInstant.parseCanonical(jdk));
        }
    }

    @Test
    void parseCanonical_leavesOtherFormsToTheJdk_andRefusesImpossibleDates() {
        assertNull(IsoInstant.parseCanonical("2025-12-31T10:00:00+01:00"));
        assertNull(IsoInstant.parseCanonical("2025-12-31T10:00:00"));
        assertNull(IsoInstant.parseCanonical("2025-12-31 10:00:00Z"));
        assertNull(IsoInstant.parseCanonical("2025-12-31T10:00:00.Z"));
        assertNull(IsoInstant.parseCanonical("2O25-12-31T10:00:00Z"));
        assertEquals(Instant.parse("2025-12-31T10:00:00.5Z"), IsoInstant.parseCanonical("2025-12-31T10:00:00.5Z"));
        assertThrows(DateTimeException.class, () -> IsoInstant.parseCanonical("2025-13-31T10:00:00Z"));
        assertEquals("+10000-01-01T00:00:00Z", IsoInstant.format(Instant.parse("+10000-01-01T00:00:00Z")));
    }
}
