package dev.portmanager.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** Recorded socket tables from {@code src/test/resources/recorded} (see the README there). */
final class Recorded {
    private Recorded() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Recorded.class.getResourceAsStream("/recorded/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no recorded file " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String name) {
        return text(name, StandardCharsets.UTF_8);
    }

    static String text(String name, Charset charset) {
        return new String(bytes(name), charset);
    }
}
