package dev.portmanager.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects a port claimed from {@link FreePorts}'s registry into an {@code int}, {@code Integer} or
 * {@link dev.portmanager.PortClaim} parameter or field, and releases it afterwards: after the test for test-method
 * parameters and instance fields, after the class for {@code @BeforeAll} parameters, static fields and instance fields
 * of a {@code PER_CLASS} test. Registers {@link FreePortExtension} by itself.
 *
 * <pre>{@code
 * @Test
 * void serves(@FreePort int port, @FreePort(range = "web") PortClaim web) { ... }
 * }</pre>
 */
@Target({ElementType.PARAMETER, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(FreePortExtension.class)
public @interface FreePort {
    /** A range of the claim registry to take the port from; empty for any free port. */
    String range() default "";

    /**
     * Keep the port bound until the test calls {@link dev.portmanager.PortClaim#handOff()}; only for
     * {@code PortClaim} targets.
     */
    boolean hold() default false;
}
