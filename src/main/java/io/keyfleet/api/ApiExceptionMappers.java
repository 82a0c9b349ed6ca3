package io.keyfleet.api;

import io.keyfleet.identity.IdentityRejectedException;
import io.keyfleet.inventory.InventoryUnavailableException;
import io.keyfleet.policy.AccessDeniedException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every refusal becomes a problem document with a stable reason, and an audit line. */
public class ApiExceptionMappers {

    private final Audit audit;
    private final CallerIdentity caller;

    ApiExceptionMappers(Audit audit, CallerIdentity caller) {
        this.audit = audit;
        this.caller = caller;
    }

    @ServerExceptionMapper
    public Response identityRejected(IdentityRejectedException e, ContainerRequestContext request) {
        audit(request, e.reason().code());
        return Problem.response(Status.UNAUTHORIZED, e.reason().code(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response accessDenied(AccessDeniedException e, ContainerRequestContext request) {
        audit(request, e.reason());
        return Problem.response(Status.FORBIDDEN, e.reason(), e.getMessage());
    }

    /** Unknown and not-allowed users look the same from outside, so names cannot be probed. */
    @ServerExceptionMapper
    public Response unknownUser(UnknownUserException e, ContainerRequestContext request) {
        audit(request, e.reason());
        return Problem.response(Status.NOT_FOUND, "unknown-user", "no such user on this instance");
    }

    @ServerExceptionMapper
    public Response inventoryUnavailable(InventoryUnavailableException e, ContainerRequestContext request) {
        audit(request, "instance-lookup-unavailable");
        return Problem.response(Status.SERVICE_UNAVAILABLE, "instance-lookup-unavailable", e.getMessage());
    }

    @ServerExceptionMapper
    public Response notReady(DirectoryNotReadyException e, ContainerRequestContext request) {
        audit(request, "directory-not-ready");
        return Problem.response(Status.SERVICE_UNAVAILABLE, "directory-not-ready", e.getMessage());
    }

    private void audit(ContainerRequestContext request, String reason) {
        String path = request.getUriInfo().getPath();
        String endpoint = path.endsWith("/authorized-keys") ? "authorized-keys" : path.endsWith("/roster") ? "roster" : "other";
        String user = request.getUriInfo().getPathParameters().getFirst("localName");
        audit.decision(endpoint, caller.find().orElse(null), user == null ? null : io.keyfleet.LogSafe.quote(user), false, reason);
    }
}
