/**
 * The Maven plugin: the {@code reserve} goal claims ports for a module's properties ({@code ${http.port}}) in the
 * claim registry JUnit's {@code @FreePort} uses, owned by the Maven JVM, so that no parallel module, concurrent build
 * or test JVM of the machine is handed them; the {@code release} goal frees them before the build ends.
 *
 * <p>The mojos are thread-safe ({@code mvn -T 4}); {@link dev.portmanager.maven.BuildClaims} holds the JVM's claims.
 */
package dev.portmanager.maven;
