package io.keyfleet.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfleet.directory.Directory;
import io.keyfleet.testing.IamEmulator;
import io.keyfleet.testing.IamEmulator.FaultKind;
import io.keyfleet.testing.IamEmulatorResource;
import io.keyfleet.testing.InjectIamEmulator;
import io.keyfleet.testing.TestClock;
import io.keyfleet.testing.TestKeys;
import io.keyfleet.testing.TestSigner;
import io.keyfleet.testing.TestSigner.Headers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The /v1 contract end to end: signed identity headers in, roster and keys out, over real HTTP. */
@QuarkusTest
@TestProfile(ApiTest.Policies.class)
@WithTestResource(IamEmulatorResource.class)
class ApiTest {

    static final String HOST = "i-0aaaaaaaaaaaaaaa1";
    static final String WEB = "i-0bbbbbbbbbbbbbbb2";
    static final String TERMINATED = "i-0ccccccccccccccc3";

    public static class Policies implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "keyfleet.policies.developers.accounts", TestSigner.ACCOUNT,
                    "keyfleet.policies.developers.regions", "us-east-1",
                    "keyfleet.policies.developers.groups", "developers",
                    "keyfleet.policies.developers.sudo-groups", "admins",
                    "keyfleet.policies.developers.local-groups", "docker,adm",
                    "keyfleet.policies.web.tags.Role", "web,frontend",
                    "keyfleet.policies.web.groups", "web-operators",
                    "keyfleet.ec2.require-running", "true");
        }
    }

    @InjectIamEmulator
    IamEmulator iam;

    @Inject
    Directory directory;

    @Inject
    TestClock clock;

    String aliceKey;

    @BeforeEach
    void organisation() {
        iam.reset();
        iam.addUser("alice");
        iam.addToGroup("developers", "alice");
        aliceKey = iam.addKey("alice", TestKeys.ed25519("alice"));
        iam.addUser("root+admin@example.com");
        iam.addToGroup("admins", "root+admin@example.com");
        iam.addKey("root+admin@example.com", TestKeys.ed25519(null));
        iam.addUser("wendy");
        iam.addToGroup("web-operators", "wendy");
        iam.addKey("wendy", TestKeys.ecdsa("nistp384", null));
        iam.addUser("mallory");
        iam.addToGroup("contractors", "mallory");
        iam.addKey("mallory", TestKeys.ed25519(null));
        iam.putInstance(HOST, "running", Map.of("Name", "build-1"));
        iam.putInstance(WEB, "running", Map.of("Role", "frontend"));
        iam.putInstance(TERMINATED, "terminated", Map.of());
        assertTrue(directory.refresh());
    }

    @AfterEach
    void realTime() {
        clock.reset();
        iam.clearFaults();
    }

    @Test
    void theRosterListsEveryoneGrantedHereWithSudoAndLocalGroups() {
        as(HOST).get("/v1/roster").then().statusCode(200)
                .contentType("application/json")
                .body("users.localName", contains("alice", "root.plus.admin.at.example.com"))
                .body("users[0].iamName", equalTo("alice"))
                .body("users[0].uid", org.hamcrest.Matchers.greaterThanOrEqualTo(1_000_000))
                .body("users[0].gid", equalTo(io.restassured.path.json.JsonPath.from(as(HOST).get("/v1/roster").asString()).getInt("users[0].uid")))
                .body("users[0].sudo", equalTo(false))
                .body("users[0].localGroups", contains("adm", "docker"))
                .body("users[0].keys", hasSize(1))
                .body("users[0].keys[0]", containsString(aliceKey))
                .body("users[1].iamName", equalTo("root+admin@example.com"))
                .body("users[1].sudo", equalTo(true));
    }

    @Test
    void anUnchangedRosterIs304AndAChangedOneIsNot() {
        String etag = as(HOST).get("/v1/roster").then().statusCode(200).extract().header("ETag");
        as(HOST).header("If-None-Match", etag).get("/v1/roster").then().statusCode(304).header("ETag", etag)
                .header(IdentityFilter.INSTANCE_HEADER, HOST);

        iam.addUser("bob");
        iam.addToGroup("developers", "bob");
        directory.refresh();
        as(HOST).header("If-None-Match", etag).get("/v1/roster").then().statusCode(200).header("ETag", not(etag));
    }

    @Test
    void theRosterIsCompressedForClientsThatAskForIt() {
        Response response = as(HOST).header("Accept-Encoding", "gzip").get("/v1/roster");
        assertEquals("gzip", response.header("Content-Encoding"));
        assertEquals(2, response.jsonPath().getList("users").size(), "rest-assured decompresses");
    }

    @Test
    void authorizedKeysServesTheUsersActiveKeysOnePerLine() {
        String body = as(HOST).get("/v1/users/alice/authorized-keys").then().statusCode(200)
                .contentType(containsString("text/plain")).header(IdentityFilter.INSTANCE_HEADER, HOST).extract().asString();
        assertTrue(body.matches("ssh-ed25519 [A-Za-z0-9+/=]+ " + aliceKey + "\n"), body);
    }

    @Test
    void aUserOutsideTheGrantedGroupsOrUnknownIs404() {
        as(HOST).get("/v1/users/mallory/authorized-keys").then().statusCode(404)
                .contentType("application/problem+json").body("reason", equalTo("unknown-user"));
        as(HOST).get("/v1/users/nobody/authorized-keys").then().statusCode(404).body("reason", equalTo("unknown-user"));
        as(HOST).get("/v1/users/wendy/authorized-keys").then().statusCode(404);
    }

    @Test
    void pathTricksInTheUserNameAreUnknownUsers() {
        for (String name : new String[] {"..", "ALICE", "alice%00", "%2e%2e%2fetc", "a".repeat(40), "alice;id"}) {
            int status = as(HOST).urlEncodingEnabled(false).get("/v1/users/" + name + "/authorized-keys").statusCode();
            assertTrue(status == 404, name + " gave " + status);
        }
    }

    @Test
    void requestsWithoutAValidIdentityAre401WithAStableReason() {
        given().get("/v1/roster").then().statusCode(401)
                .contentType("application/problem+json").body("reason", equalTo("identity-missing")).body("status", equalTo(401));
        Headers good = TestSigner.TRUSTED.headers(TestSigner.document(HOST, "us-east-1"));
        String otherDocument = TestSigner.base64(TestSigner.document("i-0ddddddddddddddd4", "us-east-1"));
        given().header(IdentityFilter.DOCUMENT_HEADER, otherDocument).header(IdentityFilter.SIGNATURE_HEADER, good.signature())
                .get("/v1/users/alice/authorized-keys").then().statusCode(401).body("reason", equalTo("identity-document-mismatch"));
        Headers forged = new TestSigner("attacker").headers(TestSigner.document(HOST, "us-east-1"));
        with(forged).get("/v1/roster").then().statusCode(401).body("reason", equalTo("identity-signature-not-trusted"));
        given().header(IdentityFilter.DOCUMENT_HEADER, "%%%").header(IdentityFilter.SIGNATURE_HEADER, good.signature())
                .get("/v1/roster").then().statusCode(401).body("reason", equalTo("identity-bad-encoding"));
        given().header(IdentityFilter.DOCUMENT_HEADER, "A".repeat(6000)).header(IdentityFilter.SIGNATURE_HEADER, good.signature())
                .get("/v1/roster").then().statusCode(401).body("reason", equalTo("identity-oversized"));
    }

    @Test
    void anInstanceOfAnAccountNoPolicyNamesIs403() {
        Headers stranger = TestSigner.TRUSTED.headers(TestSigner.document("999999999999", "us-east-1", HOST, "ami-0abcdef1234567890"));
        with(stranger).get("/v1/roster").then().statusCode(403).body("reason", equalTo("no-policy-matches"));
        with(stranger).get("/v1/users/alice/authorized-keys").then().statusCode(403);
    }

    @Test
    void tagPoliciesAdmitByTheInstancesTags() {
        as(WEB).get("/v1/roster").then().statusCode(200)
                .body("users.localName", contains("alice", "root.plus.admin.at.example.com", "wendy"));
        as(WEB).get("/v1/users/wendy/authorized-keys").then().statusCode(200);

        iam.putInstance(WEB, "running", Map.of("Role", "database"));
        clock.advance(Duration.ofMinutes(6)); // past keyfleet.ec2.cache-ttl
        as(WEB).get("/v1/users/wendy/authorized-keys").then().statusCode(404);
    }

    @Test
    void aDocumentFromATerminatedOrUnknownInstanceIsRefused() {
        as(TERMINATED).get("/v1/roster").then().statusCode(403).body("reason", equalTo("instance-not-running"));
        as("i-0eeeeeeeeeeeeeee5").get("/v1/users/alice/authorized-keys").then().statusCode(403)
                .body("reason", equalTo("instance-not-running"));
    }

    @Test
    void aKeyDeletedOrDeactivatedInIamStopsWorkingAtTheNextLogin() {
        String second = iam.addKey("alice", TestKeys.ed25519("second"));
        directory.refresh();
        assertEquals(2, keysOf("alice").split("\n").length);

        iam.deleteKey("alice", aliceKey);
        iam.setKeyStatus("alice", second, "Inactive");
        clock.advance(Duration.ofSeconds(6)); // past keyfleet.directory.login-revalidation-age, long before the next crawl

        as(HOST).get("/v1/users/alice/authorized-keys").then().statusCode(200).body(equalTo(""));
    }

    @Test
    void aUserRemovedFromTheGroupIsRefusedAtTheNextLogin() {
        iam.removeFromGroup("developers", "alice");
        clock.advance(Duration.ofSeconds(6));
        as(HOST).get("/v1/users/alice/authorized-keys").then().statusCode(404);
    }

    @Test
    void iamCallsGrowWithPeopleLoggingInNotWithInstances() {
        clock.advance(Duration.ofSeconds(6));
        iam.resetCounts();
        for (int i = 0; i < 25; i++) {
            String instance = String.format("i-0%016x", 0x1000 + i);
            iam.putInstance(instance, "running", Map.of());
            as(instance).get("/v1/users/alice/authorized-keys").then().statusCode(200);
            as(instance).get("/v1/users/root.plus.admin.at.example.com/authorized-keys").then().statusCode(200);
        }
        assertEquals(2, iam.calls("ListSSHPublicKeys"), iam.callsByAction().toString());
        assertEquals(2, iam.calls("ListGroupsForUser"), iam.callsByAction().toString());
    }

    @Test
    void whenIamIsDownAtLoginTheSnapshotAnswers() {
        iam.failNext(null, FaultKind.SERVER_ERROR, 1000);
        clock.advance(Duration.ofSeconds(6));
        assertTrue(keysOf("alice").contains(aliceKey));
    }

    private String keysOf(String user) {
        return as(HOST).get("/v1/users/" + user + "/authorized-keys").then().statusCode(200).extract().asString();
    }

    private static RequestSpecification as(String instanceId) {
        return with(TestSigner.TRUSTED.headers(TestSigner.document(instanceId, "us-east-1")));
    }

    private static RequestSpecification with(Headers headers) {
        return given().header(IdentityFilter.DOCUMENT_HEADER, headers.document()).header(IdentityFilter.SIGNATURE_HEADER, headers.signature());
    }
}
