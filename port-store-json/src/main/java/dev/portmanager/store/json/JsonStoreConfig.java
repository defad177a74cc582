package dev.portmanager.store.json;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link JsonFileStore}. Immutable and thread-safe.
 *
 * <pre>{@code
 * JsonFileStore.open(path, JsonStoreConfig.builder().lockTimeout(Duration.ofSeconds(30)).build());
 * }</pre>
 */
public final class JsonStoreConfig {
    private static final JsonStoreConfig DEFAULTS = new Builder().build();

    private final Duration lockTimeout;

    private JsonStoreConfig(Builder b) {
        this.lockTimeout = b.lockTimeout == null ? Duration.ofSeconds(10) : b.lockTimeout;
    }

    /** The defaults: a 10-second lock timeout. */
    public static JsonStoreConfig defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. Not thread-safe. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * How long an operation waits for the file's locks (other threads, other processes) before it fails with
     * {@link dev.portmanager.StoreUnavailableException}.
     */
    public Duration lockTimeout() {
        return lockTimeout;
    }

    @Override
    public String toString() {
        return "JsonStoreConfig{lockTimeout=" + lockTimeout + "}";
    }

    /** Builds a {@link JsonStoreConfig}; each value is checked as it is given. Not thread-safe. */
    public static final class Builder {
        private Duration lockTimeout;

        private Builder() {
        }

        /**
         * How long to wait for the locks; 10 seconds by default.
         *
         * @throws IllegalArgumentException if the timeout is negative
         * @throws IllegalStateException    if set twice
         */
        public Builder lockTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout == null");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("lock timeout " + timeout + " is negative; give zero or more");
            }
            if (lockTimeout != null) {
                throw new IllegalStateException("lock timeout was already set to " + lockTimeout);
            }
            lockTimeout = timeout;
            return this;
        }

        /** Builds the settings. */
        public JsonStoreConfig build() {
            return new JsonStoreConfig(this);
        }
    }
}
