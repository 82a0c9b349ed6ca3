package io.keyfleet.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** How instances prove who they are. */
@ConfigMapping(prefix = "keyfleet.identity")
public interface IdentityConfig {

    /**
     * Certificates (PEM files) trusted to sign identity documents of a region, in addition to AWS's
     * bundled ones: {@code keyfleet.identity.extra-certificates."us-east-1"=/etc/keyfleet/signer.pem}.
     * For regions AWS has not published a certificate for, private signers, tests and dev mode.
     */
    Map<String, List<Path>> extraCertificates();

    /** Trust AWS's bundled per-region certificates. Turn off only to trust nothing but your own. */
    @WithDefault("true")
    boolean awsCertificates();

    /** Verified identities remembered by digest, so a repeat costs a hash instead of an RSA check. */
    @WithDefault("100000")
    int cacheSize();
}
