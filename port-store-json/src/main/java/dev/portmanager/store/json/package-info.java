/**
 * The JSON file store: the Atlas {@code ports.json} registry, shared by every process of a machine.
 * {@link dev.portmanager.store.json.JsonFileStore#open(java.nio.file.Path)} or the store URI {@code json:<path>}.
 *
 * <p>Safe across threads (one lock per real file in the JVM), processes (an OS lock on the sidecar {@code .lock} file
 * beside the real file, shared for reads, exclusive for writes) and crashes (a change's history is appended and synced,
 * then the registry, recording the history's length, goes to a temporary file that is synced and atomically renamed
 * over the registry, then the folder is synced), and kept as {@code .bak} before it is replaced. Files beside the
 * registry are never opened through a symbolic link; what the store creates is its owner's alone ({@code 0600} files,
 * {@code 0700} folders).
 */
package dev.portmanager.store.json;
