/**
 * Free ports for tests that no other JVM on the machine is handed: {@link dev.portmanager.junit.FreePorts} and the
 * {@link dev.portmanager.junit.FreePort @FreePort} JUnit 5 extension, on a claim registry shared by every JVM of the
 * user (a JSON file in a folder of the user's alone, under {@code $XDG_RUNTIME_DIR} or {@code java.io.tmpdir}). A
 * claim is owned by its JVM, so a JVM killed mid-test gives its ports back.
 */
package dev.portmanager.junit;
