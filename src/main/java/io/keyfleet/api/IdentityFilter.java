package io.keyfleet.api;

import io.keyfleet.identity.IdentityRejectedException;
import io.keyfleet.identity.IdentityVerifier;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Every /v1 request must prove which instance sends it; nothing else runs before that. */
public class IdentityFilter {

    public static final String DOCUMENT_HEADER = "X-Keyfleet-Identity-Document";
    public static final String SIGNATURE_HEADER = "X-Keyfleet-Identity-Signature";

    private final IdentityVerifier verifier;
    private final CallerIdentity caller;

    IdentityFilter(IdentityVerifier verifier, CallerIdentity caller) {
        this.verifier = verifier;
        this.caller = caller;
    }

    @ServerRequestFilter
    public void authenticate(ContainerRequestContext request) throws IdentityRejectedException {
        if (request.getUriInfo().getPath().startsWith("/v1/")) {
            caller.set(verifier.verify(request.getHeaderString(DOCUMENT_HEADER), request.getHeaderString(SIGNATURE_HEADER)));
        }
    }
}
