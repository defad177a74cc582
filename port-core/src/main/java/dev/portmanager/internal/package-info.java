/**
 * Implementation classes, package-private but for the builder's one door
 * ({@link dev.portmanager.internal.ManagerFactory}, with its argument {@link dev.portmanager.internal.ManagerSettings}),
 * the provider {@link java.util.ServiceLoader} instantiates
 * ({@link dev.portmanager.internal.MemoryStoreProvider}) and the machine facts the API's value types read
 * ({@link dev.portmanager.internal.LocalMachine}). The manager is split by job: the facade
 * ({@code DefaultPortManager}), the claim engine ({@code ClaimEngine}, each round a {@code Claim} value), range
 * resolution ({@code Ranges}), range usage ({@code RangeUsage}), events, the audit and the monitor; beside it the
 * memory store, provider lookup and the lease judge.
 * <b>Not API:</b> anything here may change in any release, and no other module imports it; use the types of
 * {@code dev.portmanager} and {@code dev.portmanager.spi}.
 */
package dev.portmanager.internal;
