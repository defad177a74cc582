package dev.portmanager.wire;

import dev.portmanager.AllocationNotFoundException;
import dev.portmanager.PortManagerException;
import dev.portmanager.StoreUnavailableException;
import dev.portmanager.probe.TerminationRefusedException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ErrorJsonTest {
    @Test
    void error_isKindAndMessage() {
        assertEquals("{\"error\":\"usage\",\"message\":\"Missing required parameter: 'SERVICE'\"}",
                ErrorJson.error(ErrorJson.USAGE, "Missing required parameter: 'SERVICE'").toString());
        assertEquals("{\"error\":\"allocation_not_found\",\"message\":\"p/s is not allocated\"}",
                ErrorJson.error(new AllocationNotFoundException("p/s is not allocated")).toString());
    }

    @Test
    void kind_followsTheExceptionType() {
        assertEquals("store_unavailable", ErrorJson.kind(new StoreUnavailableException("down")));
        assertEquals("termination_refused", ErrorJson.kind(new TerminationRefusedException(
                TerminationRefusedException.Reason.INIT_PROCESS, 1, "pid 1")));
        assertEquals("failed", ErrorJson.kind(new PortManagerException("x")));
        assertEquals("failed", ErrorJson.kind(new PortManagerException("x") { }));
        assertEquals("invalid_argument", ErrorJson.kind(new IllegalArgumentException("x")));
        assertEquals("invalid_state", ErrorJson.kind(new IllegalStateException("x")));
        assertEquals("internal", ErrorJson.kind(new NullPointerException()));
    }

    @Test
    void error_withoutAMessage_namesTheExceptionClass() {
        assertEquals("{\"error\":\"internal\",\"message\":\"NullPointerException\"}",
                ErrorJson.error(new NullPointerException()).toString());
    }
}
