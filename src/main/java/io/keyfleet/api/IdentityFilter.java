package io.keyfleet.api;

import io.keyfleet.identity.IdentityRejectedException;
import io.keyfleet.identity.IdentityVerifier;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every /v1 request must prove which instance sends it; nothing else runs before that. Answers name
 * the instance they are for ({@code Keyfleet-Instance-Id}), so a client can refuse one that was
 * meant for another instance (a mixed-up proxy or cache).
 */
public class IdentityFilter {

    public static final String DOCUMENT_HEADER = "X-Keyfleet-Identity-Document";
    public static final String SIGNATURE_HEADER = "X-Keyfleet-Identity-Signature";
    public static final String INSTANCE_HEADER = "Keyfleet-Instance-Id";

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

    @ServerResponseFilter
    public void nameTheInstance(ContainerResponseContext response) {
        caller.find().ifPresent(identity -> response.getHeaders().putSingle(INSTANCE_HEADER, identity.instanceId()));
    }
}
