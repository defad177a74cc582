package dev.portmanager.junit;

import dev.portmanager.Allocation;
import dev.portmanager.junit.samples.FieldSample;
import dev.portmanager.junit.samples.MisuseSample;
import dev.portmanager.junit.samples.ParameterSample;
import dev.portmanager.junit.samples.PerClassSample;
import dev.portmanager.junit.samples.Seen;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

/** Runs sample test classes through the JUnit engine and checks what they were given and what was released. */
class FreePortExtensionTest {

    @BeforeEach
    void forget() {
        Seen.PORTS.clear();
        Seen.CLAIMS.clear();
    }

    private static Events run(Class<?> sample) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).execute().testEvents();
    }

    private static void assertAllReleased() {
        List<Integer> stillClaimed = new ArrayList<>();
        for (Allocation a : FreePorts.claims()) {
            if (Seen.PORTS.contains(a.port())) {
                stillClaimed.add(a.port());
            }
        }
        assertEquals(List.of(), stillClaimed, "claims left after the samples ran");
    }

    @Test
    void parameters_getClaimedPorts_releasedAfterTheirTestOrClass() {
        Events events = run(ParameterSample.class);
        events.assertStatistics(s -> s.started(5).succeeded(5).failed(0));
        assertEquals(7, Seen.PORTS.size());
        int forTheClass = Seen.PORTS.get(0);
        assertTrue(Seen.PORTS.subList(1, 7).stream().noneMatch(p -> p == forTheClass),
                "the class's port stays claimed through every test: " + Seen.PORTS);
        assertAllReleased();
    }

    @Test
    void fields_areClaimedPerTest_andStaticFieldsPerClass() {
        run(FieldSample.class).assertStatistics(s -> s.started(2).succeeded(2));
        assertEquals(6, Seen.PORTS.size());
        assertEquals(Seen.PORTS.get(0), Seen.PORTS.get(3), "the static field is claimed once for the class");
        assertEquals(2, Seen.CLAIMS.stream().distinct().count(), "instance fields are claimed anew for each test");
        assertAllReleased();
    }

    @Test
    void fieldsOfAPerClassInstance_areClaimedOnce() {
        run(PerClassSample.class).assertStatistics(s -> s.started(2).succeeded(2));
        assertEquals(2, Seen.PORTS.size());
        assertEquals(Seen.PORTS.get(0), Seen.PORTS.get(1));
        assertAllReleased();
    }

    @Test
    void misuse_failsTheTestWithAClearMessage() {
        Events events = run(MisuseSample.class);
        events.assertStatistics(s -> s.started(2).failed(2));
        events.assertThatEvents().haveExactly(1, event(test("onAString"), finishedWithFailure(message(
                "@FreePort goes on an int, Integer or PortClaim; parameter 'arg0' of onAString is a String"))));
        events.assertThatEvents().haveExactly(1, event(test("heldInt"), finishedWithFailure(message(
                "@FreePort(hold = true) on parameter 'arg0' of heldInt needs a PortClaim, to call handOff() on before "
                        + "the code under test binds the port"))));
    }
}
