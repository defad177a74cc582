package dev.portmanager.cli;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationExistsException;
import dev.portmanager.AllocationStatus;
import dev.portmanager.Protocol;
import dev.portmanager.RefusedArgumentException;
import dev.portmanager.RefusedArgumentException.Remedy;
import dev.portmanager.probe.TerminationRefusedException;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The library's Java advice, said as the CLI's flags and commands. */
class AdviceTest {
    private static String refused(Remedy remedy, String subject) {
        return Advice.message(new RefusedArgumentException("the problem", "call someMethod()", remedy, subject));
    }

    @Test
    void message_ofARefusedArgument_namesTheFlagOrCommandForEachRemedy() {
        assertEquals("the problem; define it with: portman define-range grpc START END, or name another",
                refused(Remedy.DEFINE_RANGE, "grpc"));
        assertEquals("the problem; name the range that holds it with -r RANGE, or ask for it exactly with --port 8085",
                refused(Remedy.NAME_RANGE_OR_ASK_EXACTLY, "8085"));
        assertEquals("the problem; define a range that includes it first: portman define-range NAME START END",
                refused(Remedy.RANGE_INCLUDING_PORT, "80"));
        assertEquals("the problem; move the range below 32768", refused(Remedy.RANGE_BELOW_EPHEMERAL, "32768"));
        assertEquals("the problem; give --store (or $PORTMANAGER_STORE) in one of these forms",
                refused(Remedy.KNOWN_STORE_URI, "redis://x"));
    }

    @Test
    void message_ofAnotherUsersProcess_namesOtherUsers() {
        assertEquals("python3 (pid 42) runs as user 'bob', not as 'ana' who runs this JVM; add --other-users if "
                + "ending it is intended", Advice.message(new TerminationRefusedException(
                TerminationRefusedException.Reason.OTHER_USER, 42, "python3 (pid 42) runs as user 'bob', not as 'ana' "
                + "who runs this JVM", "build the ProcessControl with allowOtherUsers() if ending it is intended")));
        assertEquals("pid 1 is init", Advice.message(new TerminationRefusedException(
                TerminationRefusedException.Reason.INIT_PROCESS, 1, "pid 1 is init")), "no Java advice to replace");
    }

    @Test
    void message_ofAServiceThatHoldsAPort_namesTheCommands() {
        Allocation a = Allocation.builder().id("x").port(3000).protocol(Protocol.TCP).host("localhost").project("p")
                .service("s").environment("dev").status(AllocationStatus.ACTIVE).description("")
                .allocatedAt(Instant.EPOCH).allocatedBy("ana@laptop").build();
        assertEquals("p/s already holds 3000/TCP on localhost (environment dev); portman get reuses it, portman "
                + "reassign moves it, portman release frees it", Advice.message(new AllocationExistsException(a)));
    }

    @Test
    void message_ofAnythingElse_isItsOwn() {
        assertEquals("disk full", Advice.message(new IllegalStateException("disk full")));
        assertEquals("NullPointerException", Advice.message(new NullPointerException()));
    }
}
