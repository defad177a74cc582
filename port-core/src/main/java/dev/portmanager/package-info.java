/**
 * Port Manager's API: {@link dev.portmanager.PortManager} and its builder, the value types
 * ({@link dev.portmanager.Allocation}, {@link dev.portmanager.AllocationRequest}, {@link dev.portmanager.PortRange},
 * ...), {@link dev.portmanager.RangePolicy}, {@link dev.portmanager.spi.Allocator}, events and exceptions.
 *
 * <p>Value types are immutable and thread-safe; builders are not thread-safe; the manager is thread-safe.
 */
package dev.portmanager;
