/**
 * The JSON file store: the Atlas {@code ports.json} registry, shared by every process of a machine.
 * {@link dev.portmanager.store.json.JsonFileStore#open(java.nio.file.Path)} or the store URI {@code json:<path>}.
 *
 * <p>Safe across threads (one lock per file in the JVM), processes (an OS lock on the sidecar {@code .lock} file,
 * shared for reads, exclusive for writes) and crashes (every write goes to a temporary file that is synced and
 * atomically renamed over the registry, then the folder is synced), and kept as {@code .bak} before it is replaced.
 */
package dev.portmanager.store.json;
