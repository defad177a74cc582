package dev.portmanager.junit;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/** Finds and sets {@code @FreePort} fields, through the class hierarchy. */
final class FreePortFields {
    private FreePortFields() {
    }

    static List<Field> of(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.isAnnotationPresent(FreePort.class)) {
                    fields.add(f);
                }
            }
        }
        return fields;
    }

    /** Whether the field still holds its default (0 or null): PER_CLASS instances are injected once. */
    static boolean unset(Field field, Object instance) {
        Object value = get(field, instance);
        return value == null || (value instanceof Integer && (Integer) value == 0);
    }

    static void set(Field field, Object instance, Object value) {
        try {
            field.setAccessible(true);
            field.set(instance, value);
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("cannot set @FreePort field '" + field.getName() + "': " + e.getMessage()
                    + "; make it non-final", e);
        }
    }

    private static Object get(Field field, Object instance) {
        try {
            field.setAccessible(true);
            return field.get(instance);
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("cannot read @FreePort field '" + field.getName() + "': "
                    + e.getMessage(), e);
        }
    }
}
