/**
 * Help for store authors, not types a store must implement: {@link dev.portmanager.spi.support.AllocationDecision},
 * the one decision sequence of {@link dev.portmanager.spi.Allocator#allocate} that every allocator calls (the live,
 * lapsed and replaced allocations of the service, the port to try first, port collisions, the history to write), and
 * {@link dev.portmanager.spi.support.Registry}, the in-memory registry and allocation engine of stores that hold the
 * whole registry in memory (the memory store, the JSON file store). Named after the {@code support} packages of other
 * libraries: building blocks for implementing an SPI.
 */
package dev.portmanager.spi.support;
