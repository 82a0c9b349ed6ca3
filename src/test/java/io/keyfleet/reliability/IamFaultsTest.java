package io.keyfleet.reliability;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfleet.directory.Directory;
import io.keyfleet.directory.DirectorySnapshot;
import io.keyfleet.testing.IamEmulator;
import io.keyfleet.testing.IamEmulator.FaultKind;
import io.keyfleet.testing.IamEmulatorResource;
import io.keyfleet.testing.InjectIamEmulator;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * IAM misbehaving in every way we know while the broker crawls: the served snapshot never shrinks
 * because of a fault, and an empty or sharply smaller answer is held back and alarmed.
 */
@QuarkusTest
@TestProfile(IamFaultsTest.ShortTimeouts.class)
@WithTestResource(IamEmulatorResource.class)
class IamFaultsTest {

    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyfleet.iam.attempt-timeout", "300ms", "keyfleet.iam.max-attempts", "2");
        }
    }

    @InjectIamEmulator
    IamEmulator iam;

    @Inject
    Directory directory;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    DirectorySnapshot good;

    @BeforeEach
    void fortyPeople() {
        iam.reset();
        iam.maxPageSize(10);
        for (int i = 0; i < 40; i++) {
            iam.addUser("user" + i);
            iam.addToGroup("staff", "user" + i);
            iam.addKey("user" + i, TestKeys.ed25519(null));
        }
        assertTrue(directory.refresh());
        good = directory.snapshot().orElseThrow();
    }

    @AfterEach
    void calm() {
        iam.clearFaults();
    }

    @Test
    void aThrottlingStormFailsTheCrawlAndTheSnapshotStays() {
        iam.failNext(null, FaultKind.THROTTLE, 10_000);
        assertFalse(directory.refresh());
        assertSame(good, directory.snapshot().orElseThrow());
        iam.clearFaults();
        assertTrue(directory.refresh(), "and the next crawl after the storm succeeds");
    }

    @Test
    void serverErrorsOnAnyActionKeepTheSnapshot() {
        for (String action : new String[] {"ListGroups", "GetGroup", "ListSSHPublicKeys"}) {
            iam.failNext(action, FaultKind.SERVER_ERROR, 10_000);
            assertFalse(directory.refresh(), action);
            assertSame(good, directory.snapshot().orElseThrow(), action);
            iam.clearFaults();
        }
    }

    @Test
    void answersSlowerThanTheAttemptTimeoutFailTheCrawlInsteadOfHangingIt() {
        iam.delayNext("GetGroup", Duration.ofSeconds(2), 10);
        assertFalse(directory.refresh());
        assertSame(good, directory.snapshot().orElseThrow());
        assertTrue(directory.lastFailure().orElseThrow().message().contains("timed out")
                || directory.lastFailure().orElseThrow().message().contains("Timeout"), directory.lastFailure().toString());
    }

    @Test
    void aPageMissingMidPaginationKeepsTheSnapshot() {
        iam.failOnPage("GetGroup", 3, FaultKind.SERVER_ERROR);
        assertFalse(directory.refresh());
        assertSame(good, directory.snapshot().orElseThrow());
    }

    @Test
    void anIamThatSuddenlyHasNobodyIsHeldBackAndAlarmed() {
        iam.reset();
        iam.addGroup("staff");

        assertFalse(directory.refresh());

        assertSame(good, directory.snapshot().orElseThrow());
        assertTrue(directory.lastFailure().orElseThrow().message().contains("users would drop from 40 to 0"));
        given().get(ready).then().statusCode(200).body("checks[0].data.lastFailure", containsString("held back"));
        assertTrue(given().get(metrics).asString().contains("keyfleet_directory_held_back 1.0"));
    }

    @Test
    void aSharpDropIsHeldBackButAnOrdinaryOneIsServed() {
        for (int i = 0; i < 15; i++) {
            iam.deleteUser("user" + i);
        }
        assertFalse(directory.refresh(), "40 -> 25 users is more than a quarter");
        assertSame(good, directory.snapshot().orElseThrow());

        for (int i = 0; i < 15; i++) {
            iam.addUser("user" + i);
            iam.addToGroup("staff", "user" + i);
            iam.addKey("user" + i, TestKeys.ed25519(null));
        }
        iam.deleteUser("user39");
        iam.deleteUser("user38");
        assertTrue(directory.refresh(), "two people leaving is ordinary");
        assertEquals(38, directory.snapshot().orElseThrow().userCount());
        assertTrue(given().get(metrics).asString().contains("keyfleet_directory_held_back 0.0"));
    }
}
