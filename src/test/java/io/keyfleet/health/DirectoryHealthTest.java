package io.keyfleet.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.keyfleet.directory.Directory;
import io.keyfleet.testing.IamEmulator;
import io.keyfleet.testing.IamEmulator.FaultKind;
import io.keyfleet.testing.IamEmulatorResource;
import io.keyfleet.testing.InjectIamEmulator;
import io.keyfleet.testing.TestClock;
import io.keyfleet.testing.TestKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A broker of its own, so it starts without any snapshot. */
@QuarkusTest
@TestProfile(DirectoryHealthTest.FreshBroker.class)
@WithTestResource(IamEmulatorResource.class)
class DirectoryHealthTest {

    public static class FreshBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyfleet.directory.max-staleness", "10m");
        }
    }

    @InjectIamEmulator
    IamEmulator iam;

    @Inject
    Directory directory;

    @Inject
    TestClock clock;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/health/live", management = true)
    URL live;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @AfterEach
    void realTime() {
        clock.reset();
        iam.clearFaults();
    }

    @Test
    void readinessFollowsTheSnapshotAndLivenessNeverDependsOnIam() {
        iam.reset();
        iam.addUser("alice");
        iam.addToGroup("developers", "alice");
        iam.addKey("alice", TestKeys.ed25519(null));

        given().get(ready).then().statusCode(503).body("checks[0].data.reason", equalTo("no complete crawl yet"));
        given().get(live).then().statusCode(200);

        directory.refresh();
        given().get(ready).then().statusCode(200)
                .body("checks[0].data.users", equalTo(1))
                .body("checks[0].data.keys", equalTo(1))
                .body("checks[0].data.snapshotAgeSeconds", notNullValue());

        // IAM goes away: the old snapshot keeps the replica ready until it is too old.
        iam.failNext(null, FaultKind.SERVER_ERROR, 1000);
        directory.refresh();
        clock.advance(Duration.ofMinutes(9));
        given().get(ready).then().statusCode(200).body("checks[0].data.lastFailure", containsString("ServiceFailure"));

        clock.advance(Duration.ofMinutes(2));
        given().get(ready).then().statusCode(503).body("checks[0].data.reason", containsString("older than"));
        given().get(live).then().statusCode(200).body("checks[0].data.lastFailure", containsString("ServiceFailure"));

        iam.clearFaults();
        directory.refresh();
        given().get(ready).then().statusCode(200);
    }

    @Test
    void metricsReportTheSnapshotAndEveryIamCallByActionAndOutcome() {
        iam.reset();
        iam.addUser("bob");
        iam.addToGroup("ops", "bob");
        iam.addKey("bob", TestKeys.rsa(1024, "weak"));
        iam.addKey("bob", TestKeys.ed25519("good"));
        iam.failNext("ListSSHPublicKeys", FaultKind.THROTTLE, 1);
        directory.refresh();

        String text = given().get(metrics).then().statusCode(200).extract().asString();
        assertContains(text, "keyfleet_directory_users 1.0");
        assertContains(text, "keyfleet_directory_keys 1.0");
        assertContains(text, "keyfleet_directory_held_back 0.0");
        assertContains(text, "keyfleet_directory_dropped{kind=\"invalid-key\"} 1.0");
        assertContains(text, "keyfleet_iam_calls_total{action=\"ListSSHPublicKeys\",outcome=\"success\"}");
        assertContains(text, "keyfleet_iam_requests_total{action=\"ListSSHPublicKeys\"}");
        assertContains(text, "keyfleet_directory_crawl_seconds_count{outcome=\"success\",source=\"iam\"}");
        assertContains(text, "keyfleet_directory_snapshot_age_seconds");
    }

    private static void assertContains(String text, String expected) {
        if (!text.contains(expected)) {
            throw new AssertionError("metrics lack " + expected + "\n" + text.lines().filter(l -> l.startsWith("keyfleet")).toList());
        }
    }
}
