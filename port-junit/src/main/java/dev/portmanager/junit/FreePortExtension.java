package dev.portmanager.junit;

import dev.portmanager.PortClaim;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * Resolves {@link FreePort @FreePort} parameters and fields and any {@link PortClaim} parameter, claiming from
 * {@link FreePorts}. Each claim is kept in the JUnit store of the test or class it belongs to, which closes it when the
 * test or class ends. Thread-safe: tests may run in parallel.
 *
 * <p>{@code @FreePort} registers this extension; register it on the class
 * ({@code @ExtendWith(FreePortExtension.class)}) to inject {@code PortClaim} parameters without the annotation.
 */
public final class FreePortExtension implements ParameterResolver, BeforeAllCallback, BeforeEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FreePortExtension.class);

    /** Created by JUnit. */
    public FreePortExtension() {
        // Stateless: claims live in the JUnit store of their test or class.
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.isAnnotated(FreePort.class) || parameter.getParameter().getType() == PortClaim.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        FreePort spec = parameter.findAnnotation(FreePort.class).orElse(null);
        Class<?> type = parameter.getParameter().getType();
        String where = "parameter '" + parameter.getParameter().getName() + "' of "
                + parameter.getDeclaringExecutable().getName();
        try {
            return valueFor(type, claim(spec, type, where, context), where);
        } catch (IllegalArgumentException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        for (Field field : FreePortFields.of(context.getRequiredTestClass())) {
            if (Modifier.isStatic(field.getModifiers())) {
                inject(null, field, context);
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            ExtensionContext owner = context.getTestInstanceLifecycle().orElse(TestInstance.Lifecycle.PER_METHOD)
                    == TestInstance.Lifecycle.PER_CLASS ? context.getParent().orElse(context) : context;
            for (Field field : FreePortFields.of(instance.getClass())) {
                if (!Modifier.isStatic(field.getModifiers()) && FreePortFields.unset(field, instance)) {
                    inject(instance, field, owner);
                }
            }
        }
    }

    private static void inject(Object instance, Field field, ExtensionContext context) {
        String where = "field '" + field.getName() + "' of " + field.getDeclaringClass().getSimpleName();
        try {
            PortClaim claim = claim(field.getAnnotation(FreePort.class), field.getType(), where, context);
            FreePortFields.set(field, instance, valueFor(field.getType(), claim, where));
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException(e.getMessage(), e);
        }
    }

    private static PortClaim claim(FreePort spec, Class<?> type, String where, ExtensionContext context) {
        boolean intTarget = type == int.class || type == Integer.class;
        if (!intTarget && type != PortClaim.class) {
            throw new IllegalArgumentException("@FreePort goes on an int, Integer or PortClaim; " + where + " is a "
                    + type.getSimpleName());
        }
        boolean hold = spec != null && spec.hold();
        if (hold && intTarget) {
            throw new IllegalArgumentException("@FreePort(hold = true) on " + where + " needs a PortClaim, to call "
                    + "handOff() on before the code under test binds the port");
        }
        String range = spec == null ? "" : spec.range();
        PortClaim claim = range.isEmpty() ? FreePorts.claim() : FreePorts.claim(range);
        context.getStore(NAMESPACE).put(new Object(), new ReleaseOnClose(claim));
        return hold ? claim.hold() : claim;
    }

    private static Object valueFor(Class<?> type, PortClaim claim, String where) {
        return type == PortClaim.class ? claim : Integer.valueOf(claim.port());
    }

    /** Closes its claim when JUnit closes the store: as {@code AutoCloseable} on JUnit 5.13+, the older way before. */
    @SuppressWarnings("deprecation")
    private static final class ReleaseOnClose implements AutoCloseable, ExtensionContext.Store.CloseableResource {
        private final PortClaim claim;

        ReleaseOnClose(PortClaim claim) {
            this.claim = claim;
        }

        @Override
        public void close() {
            claim.close();
        }
    }
}
