package dev.portmanager.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which command a run registers alone: only one whose name nothing but global options precedes. */
class CommandNameTest {
    @Test
    void commandName_afterGlobalOptions_isTheFirstPlainWord() {
        assertEquals("get", Portman.commandName(new String[] {"get", "consilio", "api"}));
        assertEquals("get", Portman.commandName(new String[] {"--store", "json:p.json", "--host", "h", "-e", "dev",
                "--json", "-v", "get", "a", "b"}));
        assertEquals("scan", Portman.commandName(new String[] {"--store=json:p.json", "--env=dev", "-edev",
                "--verbose", "scan", "--json"}));
        assertEquals("list", Portman.commandName(new String[] {"--store", "get", "list"}), "a value is not a command");
    }

    @Test
    void commandName_whenTheRootMustSeeEveryCommand_isNull() {
        assertNull(Portman.commandName(new String[] {}));
        assertNull(Portman.commandName(new String[] {"--help", "get"}));
        assertNull(Portman.commandName(new String[] {"-V"}));
        assertNull(Portman.commandName(new String[] {"help", "get"}));
        assertNull(Portman.commandName(new String[] {"@args.txt"}));
        assertNull(Portman.commandName(new String[] {"--no-such-option", "get"}));
        assertNull(Portman.commandName(new String[] {"--", "get"}));
        assertNull(Portman.commandName(new String[] {"--store"}));
    }

    @Test
    void everyCommand_isRegisteredOnceInTheList() {
        assertEquals(Portman.COMMANDS.size(), Portman.COMMANDS.stream().distinct().count());
    }
}
