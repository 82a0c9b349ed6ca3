package io.keyfleet.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem document. {@code reason} is the stable, machine-readable part that clients
 * and alerts key on; {@code detail} is for people and may change.
 */
@RegisterForReflection
public record Problem(String type, String title, int status, String reason, String detail) {

    public static final MediaType MEDIA_TYPE = new MediaType("application", "problem+json");

    static Response response(Response.Status status, String reason, String detail) {
        Problem problem = new Problem("https://keyfleet.io/problems/" + reason, status.getReasonPhrase(), status.getStatusCode(), reason, detail);
        return Response.status(status).type(MEDIA_TYPE).entity(problem).build();
    }
}
