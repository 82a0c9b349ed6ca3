package io.keyfleet.api;

import io.keyfleet.directory.Directory;
import io.keyfleet.directory.DirectorySnapshot;
import io.keyfleet.directory.DirectoryUser;
import io.keyfleet.directory.LoginRevalidation;
import io.keyfleet.directory.SshPublicKey;
import io.keyfleet.identity.InstanceIdentity;
import io.keyfleet.inventory.InventoryUnavailableException;
import io.keyfleet.policy.Access;
import io.keyfleet.policy.AccessDeniedException;
import io.keyfleet.policy.AccessService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.vertx.core.http.HttpServerRequest;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * The broker/client contract (DESIGN.md): every request carries the instance's signed identity
 * document in {@code X-Keyfleet-Identity-Document} and {@code X-Keyfleet-Identity-Signature}.
 */
@Path("/v1")
@SecurityScheme(securitySchemeName = "identity-document", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        apiKeyName = IdentityFilter.DOCUMENT_HEADER,
        description = "base64 of the exact bytes of /latest/dynamic/instance-identity/document")
@SecurityScheme(securitySchemeName = "identity-signature", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        apiKeyName = IdentityFilter.SIGNATURE_HEADER,
        description = "the base64 PKCS#7 from /latest/dynamic/instance-identity/rsa2048, whitespace removed")
@SecurityRequirementsSet({@SecurityRequirement(name = "identity-document"), @SecurityRequirement(name = "identity-signature")})
public class KeyfleetApi {

    /** What LocalNames can produce; anything else (path tricks included) is simply unknown. */
    private static final Pattern LOCAL_NAME = Pattern.compile("[a-z][a-z0-9._-]{0,31}");

    private final CallerIdentity caller;
    private final AccessService access;
    private final RosterService rosters;
    private final Directory directory;
    private final LoginRevalidation revalidation;
    private final Audit audit;

    KeyfleetApi(CallerIdentity caller, AccessService access, RosterService rosters, Directory directory,
            LoginRevalidation revalidation, Audit audit) {
        this.caller = caller;
        this.access = access;
        this.rosters = rosters;
        this.directory = directory;
        this.revalidation = revalidation;
        this.audit = audit;
    }

    @GET
    @Path("roster")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The users this instance must have, with sudo, local groups and keys; 304 when unchanged")
    public Response roster(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch)
            throws AccessDeniedException, InventoryUnavailableException, DirectoryNotReadyException {
        InstanceIdentity instance = caller.get();
        Access granted = access.accessFor(instance);
        RosterService.RosterBody body = rosters.roster(granted);
        EntityTag etag = EntityTag.valueOf(body.etag());
        if (body.etag().equals(ifNoneMatch)) {
            return Response.notModified(etag).build();
        }
        audit.decision("roster", instance, null, true, "policies=" + String.join(",", granted.policyNames()));
        return Response.ok(body.json(), MediaType.APPLICATION_JSON_TYPE).tag(etag).build();
    }

    @GET
    @Path("users/{localName}/authorized-keys")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "The user's active keys, one authorized_keys line each; 404 when the user may not log in here")
    public String authorizedKeys(@PathParam("localName") String localName, @Context HttpServerRequest request)
            throws AccessDeniedException, InventoryUnavailableException, DirectoryNotReadyException, UnknownUserException {
        InstanceIdentity instance = caller.get();
        Access granted = access.accessFor(instance);
        // JAX-RS quietly drops ";params" from a segment: "alice;x" is not a name we gave out.
        boolean matrixParameters = request.path().indexOf(';') >= 0;
        if (matrixParameters || !LOCAL_NAME.matcher(localName).matches()) {
            throw new UnknownUserException("unknown-user", "not a Linux name Keyfleet gives");
        }
        DirectorySnapshot snapshot = directory.snapshot().orElseThrow(DirectoryNotReadyException::new);
        DirectoryUser known = snapshot.usersByLocalName().get(localName);
        if (known == null) {
            throw new UnknownUserException("unknown-user", localName + " is not in the directory");
        }
        DirectoryUser user = revalidation.current(snapshot, known)
                .orElseThrow(() -> new UnknownUserException("user-gone", localName + " no longer exists in the directory"));
        Access.UserAccess userAccess = granted.forUser(user.groups())
                .orElseThrow(() -> new UnknownUserException("user-not-allowed-here", localName + " is in no group granted here"));
        audit.decision("authorized-keys", instance, localName, true,
                "policies=" + String.join(",", userAccess.policies()) + " keys=" + user.keys().size());
        return user.keys().stream().map(SshPublicKey::authorizedKeysLine).map(line -> line + '\n').collect(Collectors.joining());
    }
}
