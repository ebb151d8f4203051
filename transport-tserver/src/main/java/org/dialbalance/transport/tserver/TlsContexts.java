package org.dialbalance.transport.tserver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

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
