/**
 * Implementation classes: the default manager, the in-memory store, the bind-only probe, provider lookup.
 * <b>Not API:</b> anything here may change in any release; use the types of {@code dev.portmanager} and
 * {@code dev.portmanager.spi}.
 */
package dev.portmanager.internal;
