package dev.portmanager.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class CellsTest {
    @Test
    void clean_escapesEveryControlCharacter_andLeavesTheRestAlone() {
        assertEquals("a\\nb\\rc\\td\\e[31me\\x07f\\x7fg\\x85h",
                Cells.clean("a\nb\rc\td\u001b[31me\u0007f\u007fg\u0085h"));
        assertEquals("evil\\u202etxt.exe \\u2028next", Cells.clean("evil\u202etxt.exe \u2028next"));
        String plain = "日本 café \\n stays";
        assertSame(plain, Cells.clean(plain), "nothing to escape: the same string");
    }

    @Test
    void width_countsWideCharactersTwice_andCombiningMarksNot() {
        assertEquals(4, Cells.width("日本"));
        assertEquals(8, Cells.width("サービス"));
        assertEquals(4, Cells.width("cafe\u0301"));
        assertEquals(8, Cells.width("ｗｉｄｅ"), "fullwidth Latin");
        assertEquals(2, Cells.width("\uD83D\uDE80"), "an emoji, one code point of two chars");
        assertEquals(3, Cells.width("abc"));
    }
}
