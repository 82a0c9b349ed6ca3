package io.keyfleet.deploy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyfleet.api.IdentityFilter;
import io.keyfleet.directory.Directory;
import io.keyfleet.testing.IamEmulator;
import io.keyfleet.testing.IamEmulatorResource;
import io.keyfleet.testing.InjectIamEmulator;
import io.keyfleet.testing.TestClock;
import io.keyfleet.testing.TestKeys;
import io.keyfleet.testing.TestSigner;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The least-privilege policies in deploy/iam allow exactly what the broker calls: every flow (crawl
 * through an assumed role, login revalidation, EC2 look-up) runs against the emulator, which
 * records each action it is asked for.
 */
@QuarkusTest
@TestProfile(PolicyDocumentsTest.EveryFlow.class)
@WithTestResource(value = IamEmulatorResource.class,
        initArgs = @ResourceArg(name = "assume-role-arn", value = "arn:aws:iam::111122223333:role/keyfleet-reader"))
class PolicyDocumentsTest {

    static final String INSTANCE = "i-0abcabcabcabcabc1";

    public static class EveryFlow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyfleet.policies.tagged.tags.Team", "platform", "keyfleet.policies.tagged.groups", "developers",
                    "keyfleet.ec2.require-running", "true");
        }
    }

    @InjectIamEmulator
    IamEmulator iam;

    @Inject
    Directory directory;

    @Inject
    TestClock clock;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void theTaskRoleAllowsExactlyTheActionsTheBrokerCalls() throws Exception {
        iam.reset();
        iam.addUser("alice");
        iam.addToGroup("developers", "alice");
        iam.addKey("alice", TestKeys.ed25519(null));
        iam.putInstance(INSTANCE, "running", Map.of("Team", "platform"));
        assertTrue(directory.refresh());
        clock.advance(Duration.ofSeconds(6)); // so the login below revalidates alice live
        TestSigner.Headers headers = TestSigner.TRUSTED.headers(TestSigner.document(INSTANCE, "us-east-1"));
        given().header(IdentityFilter.DOCUMENT_HEADER, headers.document()).header(IdentityFilter.SIGNATURE_HEADER, headers.signature())
                .get("/v1/users/alice/authorized-keys").then().statusCode(200);

        Set<String> called = iam.callsByAction().keySet().stream().map(PolicyDocumentsTest::qualified)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(allowed("broker-task-role-policy.json"), called);
        assertEquals(called.stream().filter(a -> a.startsWith("iam:")).collect(Collectors.toCollection(TreeSet::new)),
                allowed("cross-account-reader-policy.json"));
    }

    private static String qualified(String action) {
        return switch (action) {
            case "AssumeRole" -> "sts:" + action;
            case "DescribeInstances" -> "ec2:" + action;
            default -> "iam:" + action;
        };
    }

    private static Set<String> allowed(String file) throws Exception {
        JsonNode policy = new ObjectMapper().readTree(Path.of("deploy/iam", file).toFile());
        Set<String> actions = new TreeSet<>();
        for (JsonNode statement : policy.get("Statement")) {
            assertEquals("Allow", statement.get("Effect").asText());
            statement.get("Action").forEach(a -> actions.add(a.asText()));
        }
        return actions;
    }
}
