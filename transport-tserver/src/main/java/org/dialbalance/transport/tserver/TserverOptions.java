package org.dialbalance.transport.tserver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.DidYouMean;
import org.dialbalance.transport.tserver.protocol.FrameCodec;

/**
 * The tserver transport's own options ({@code transport-options.tserver { ... }}), validated as a whole.
 *
 * @param maxFrameSize       hard maximum of a frame body in bytes ({@code max-frame-size}, default 65536)
 * @param ioThreads          Netty I/O threads ({@code io-threads}, default 2)
 * @param maxTrackedCalls    dialed calls remembered per node (its two links together) until their EventReleased ({@code max-tracked-calls},
 *                           default 100000); past it the oldest is forgotten (see {@link DialedCalls})
 * @param tlsEnabled         whether links use TLS ({@code tls.enabled})
 * @param trustStore         PKCS12 trust store that verifies servers ({@code tls.trust-store}); empty: the JDK's
 * @param trustStorePassword its password ({@code tls.trust-store-password}); empty when not set
 * @param keyStore           PKCS12 key store with this client's certificate, for mutual TLS ({@code tls.key-store})
 * @param keyStorePassword   its password ({@code tls.key-store-password}); empty when not set
 */
record TserverOptions(int maxFrameSize, int ioThreads, int maxTrackedCalls, boolean tlsEnabled, Optional<Path> trustStore,
                      Optional<String> trustStorePassword, Optional<Path> keyStore, Optional<String> keyStorePassword) {

    /** Default of {@code max-tracked-calls}: at most about 16 MB per node when full (ConnIDs are at most 64 bytes). */
    static final int DEFAULT_MAX_TRACKED_CALLS = 100_000;

    static final Set<String> KNOWN = new TreeSet<>(Set.of("max-frame-size", "io-threads", "max-tracked-calls", "tls.enabled", "tls.trust-store",
            "tls.trust-store-password", "tls.key-store", "tls.key-store-password"));

    /** Parses and checks the options; every problem is collected. */
    static TserverOptions parse(Map<String, String> options, List<ConfigProblem> problems) {
        String prefix = "transport-options.tserver.";
        for (String key : new TreeSet<>(options.keySet())) {    // sorted: the settings' map has no stable order
            if (!KNOWN.contains(key)) {
                String value = key.toLowerCase(java.util.Locale.ROOT).matches(".*(pas|pwd|secret).*") ? "(hidden)" : options.get(key);
                problems.add(new ConfigProblem(prefix + key, value, "one of the tserver options" + DidYouMean.hint(key, KNOWN) + ": "
                        + String.join(", ", KNOWN)));
            }
        }
        int maxFrame = integer(options, "max-frame-size", FrameCodec.DEFAULT_MAX_FRAME_SIZE, 64, 16 * 1024 * 1024, problems);
        int threads = integer(options, "io-threads", 2, 1, 64, problems);
        int trackedCalls = integer(options, "max-tracked-calls", DEFAULT_MAX_TRACKED_CALLS, 1, 10_000_000, problems);
        String tls = options.getOrDefault("tls.enabled", "false").trim();
        if (!tls.equals("true") && !tls.equals("false")) {
            problems.add(new ConfigProblem(prefix + "tls.enabled", tls, "true or false"));
        }
        Optional<Path> trustStore = store(options, "tls.trust-store", problems);
        Optional<Path> keyStore = store(options, "tls.key-store", problems);
        if (!tls.equals("true") && (trustStore.isPresent() || keyStore.isPresent())) {
            problems.add(new ConfigProblem(prefix + "tls.enabled", tls, "true when tls.trust-store or tls.key-store is set"));
        }
        return new TserverOptions(maxFrame, threads, trackedCalls, tls.equals("true"), trustStore,
                Optional.ofNullable(options.get("tls.trust-store-password")), keyStore,
                Optional.ofNullable(options.get("tls.key-store-password")));
    }

    private static int integer(Map<String, String> options, String key, int fallback, int min, int max, List<ConfigProblem> problems) {
        String text = options.get(key);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(new ConfigProblem("transport-options.tserver." + key, text, "a whole number from " + min + " to " + max));
        return fallback;
    }

    private static Optional<Path> store(Map<String, String> options, String key, List<ConfigProblem> problems) {
        String text = options.get(key);
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Path path;
        try {
            path = Path.of(text.trim());
        } catch (java.nio.file.InvalidPathException e) {
            problems.add(new ConfigProblem("transport-options.tserver." + key, text, "a readable PKCS12 file, but this is no valid path"));
            return Optional.empty();
        }
        if (Files.isDirectory(path)) {
            problems.add(new ConfigProblem("transport-options.tserver." + key, text, "a readable PKCS12 file, but this is a directory"));
            return Optional.empty();
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            problems.add(new ConfigProblem("transport-options.tserver." + key, text, "a readable PKCS12 file"
                    + (Files.exists(path) ? ", but this is not a regular readable file" : ", but there is no such file")));
            return Optional.empty();
        }
        return Optional.of(path);
    }

}
