package org.dialbalance.transport.tserver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

import org.dialbalance.api.ConfigProblem;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * Builds TLS contexts from PKCS12 stores with the JDK's TLS provider: for the client side of the
 * transport, and (public, for the simulated cluster and tests) for a server, optionally requiring
 * client certificates.
 */
public final class TlsContexts {

    private TlsContexts() {
    }

    /** A client context: verify servers against {@code trustStore} (or the JDK's defaults), present {@code keyStore} if given. */
    public static SslContext client(Path trustStore, String trustPassword, Path keyStore, String keyPassword)
            throws IOException, GeneralSecurityException {
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .endpointIdentificationAlgorithm("HTTPS");    // verify the server certificate names the host connected to
        if (trustStore != null) {
            builder.trustManager(trustManagers(trustStore, trustPassword));
        }
        if (keyStore != null) {
            builder.keyManager(keyManagers(keyStore, keyPassword));
        }
        return builder.build();
    }

    /**
     * The client context of checked options, or {@code null} with a problem for each store that does not
     * open: naming the store option and its file, or the password option, and what is wrong.
     */
    static SslContext client(TserverOptions options, List<ConfigProblem> problems) {
        Optional<KeyStore> trust = options.trustStore().flatMap(store -> open(store, options.trustStorePassword(), "tls.trust-store", problems));
        Optional<KeyStore> keys = options.keyStore().flatMap(store -> open(store, options.keyStorePassword(), "tls.key-store", problems));
        if (trust.isPresent() && !holds(trust.get(), false)) {
            problems.add(new ConfigProblem(PREFIX + "tls.trust-store", options.trustStore().orElseThrow().toString(),
                    "a PKCS12 store holding at least one trusted certificate, but it holds none"));
        }
        if (keys.isPresent() && !holds(keys.get(), true)) {
            problems.add(new ConfigProblem(PREFIX + "tls.key-store", options.keyStore().orElseThrow().toString(),
                    "a PKCS12 store holding this client's private key and certificate, but it holds no private key"));
        }
        if (!problems.isEmpty()) {
            return null;
        }
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .endpointIdentificationAlgorithm("HTTPS");    // verify the server certificate names the host connected to
        try {
            if (trust.isPresent()) {
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(trust.get());
                builder.trustManager(factory);
            }
            if (keys.isPresent()) {
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                try {
                    factory.init(keys.get(), options.keyStorePassword().orElse("").toCharArray());
                } catch (UnrecoverableKeyException e) {
                    problems.add(new ConfigProblem(PREFIX + "tls.key-store-password", hidden(options.keyStorePassword()),
                            "the password of the private key in " + options.keyStore().orElseThrow()
                                    + " (the store opens with it, but its key does not)"));
                    return null;
                }
                builder.keyManager(factory);
            }
            return builder.build();
        } catch (IOException | GeneralSecurityException e) {
            problems.add(new ConfigProblem(PREFIX + "tls", options.trustStore().map(Path::toString).orElse("(JDK trust store)")
                    + ", " + options.keyStore().map(Path::toString).orElse("(no key store)"),
                    "stores a TLS client context can be built from (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")"));
            return null;
        }
    }

    private static final String PREFIX = "transport-options.tserver.";

    private static Optional<KeyStore> open(Path store, Optional<String> password, String option, List<ConfigProblem> problems) {
        try {
            return Optional.of(load(store, password.orElse("")));
        } catch (IOException | GeneralSecurityException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || e instanceof UnrecoverableKeyException) {
                problems.add(new ConfigProblem(PREFIX + option + "-password", hidden(password),
                        "the password of " + store + " (the store does not open with this one)"));
            } else {
                problems.add(new ConfigProblem(PREFIX + option, store.toString(),
                        "a PKCS12 store, but this file is not one or is damaged"));
            }
            return Optional.empty();
        }
    }

    private static boolean holds(KeyStore store, boolean privateKey) {
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias) || (!privateKey && store.isCertificateEntry(alias))) {
                    return true;
                }
            }
            return false;
        } catch (KeyStoreException e) {
            return false;
        }
    }

    /** A password as messages show it: never its text; {@code (missing)} when not set, {@code (empty)} when set to "". */
    private static String hidden(Optional<String> password) {
        return password.map(text -> text.isEmpty() ? "(empty)" : "(hidden, " + text.length() + " chars)").orElse("(missing)");
    }

    /** A server context presenting {@code keyStore}; with {@code clientTrustStore}, clients must present a certificate it trusts. */
    public static SslContext server(Path keyStore, String keyPassword, Path clientTrustStore, String trustPassword)
            throws IOException, GeneralSecurityException {
        SslContextBuilder builder = SslContextBuilder.forServer(keyManagers(keyStore, keyPassword)).sslProvider(SslProvider.JDK);
        if (clientTrustStore != null) {
            builder.trustManager(trustManagers(clientTrustStore, trustPassword)).clientAuth(ClientAuth.REQUIRE);
        }
        return builder.build();
    }

    private static TrustManagerFactory trustManagers(Path store, String password) throws IOException, GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(load(store, password));
        return factory;
    }

    private static KeyManagerFactory keyManagers(Path store, String password) throws IOException, GeneralSecurityException {
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(load(store, password), password.toCharArray());
        return factory;
    }

    private static KeyStore load(Path store, String password) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, password.toCharArray());
        }
        return keyStore;
    }
}
