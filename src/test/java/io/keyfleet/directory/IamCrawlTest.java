package io.keyfleet.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfleet.testing.IamEmulator;
import io.keyfleet.testing.IamEmulator.FaultKind;
import io.keyfleet.testing.IamEmulatorResource;
import io.keyfleet.testing.InjectIamEmulator;
import io.keyfleet.testing.TestKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real AWS SDK IAM client, crawling the IAM emulator over HTTP. */
@QuarkusTest
@WithTestResource(IamEmulatorResource.class)
class IamCrawlTest {

    @InjectIamEmulator
    IamEmulator iam;

    @Inject
    Directory directory;

    @BeforeEach
    void smallOrganisation() {
        iam.reset();
        iam.maxPageSize(2);
        for (int i = 1; i <= 5; i++) {
            iam.addUser("dev" + i);
            iam.addToGroup("developers", "dev" + i);
            iam.addKey("dev" + i, TestKeys.ed25519("dev" + i));
        }
        iam.addUser("admin+ops@example.com");
        iam.addToGroup("admins", "admin+ops@example.com");
        iam.addToGroup("developers", "admin+ops@example.com");
        iam.addKey("admin+ops@example.com", TestKeys.ecdsa("nistp256", null));
        iam.addKey("admin+ops@example.com", TestKeys.rsa(2048, null));
        iam.addGroup("nobody-here");
    }

    @Test
    void crawlsEveryPageOfEveryGroupAndEveryUsersKeys() {
        assertTrue(directory.refresh());

        DirectorySnapshot snapshot = directory.snapshot().orElseThrow();
        assertEquals(Set.of("dev1", "dev2", "dev3", "dev4", "dev5", "admin.plus.ops.at.example.com"), snapshot.usersByLocalName().keySet());
        assertEquals(Set.of("developers", "admins", "nobody-here"), snapshot.groups());
        DirectoryUser admin = snapshot.usersByLocalName().get("admin.plus.ops.at.example.com");
        assertEquals("admin+ops@example.com", admin.iamName());
        assertEquals(Set.of("admins", "developers"), admin.groups());
        assertEquals(2, admin.keys().size());
        assertEquals(7, snapshot.keyCount());
        assertEquals(7, iam.calls("GetSSHPublicKey"));
    }

    @Test
    void aSteadyStateCrawlFetchesNoKeyBodyAndCostsGroupsPlusUsersPlusPages() {
        assertTrue(directory.refresh());
        iam.resetCounts();

        assertTrue(directory.refresh());

        Map<String, Integer> calls = iam.callsByAction();
        assertEquals(0, iam.calls("GetSSHPublicKey"), calls.toString());
        assertEquals(2, iam.calls("ListGroups"), "3 groups, pages of 2: " + calls);
        // developers: 6 members = 3 pages; admins: 1 page; nobody-here: 1 page.
        assertEquals(5, iam.calls("GetGroup"), calls.toString());
        // 6 users; admin's 2 keys fit one page of 2.
        assertEquals(6, iam.calls("ListSSHPublicKeys"), calls.toString());
        assertEquals(13, iam.totalCalls());
    }

    @Test
    void onlyANewKeyIsFetched() {
        assertTrue(directory.refresh());
        iam.addKey("dev3", TestKeys.ed25519("new laptop"));
        iam.resetCounts();

        assertTrue(directory.refresh());

        assertEquals(1, iam.calls("GetSSHPublicKey"));
        assertEquals(2, directory.snapshot().orElseThrow().usersByLocalName().get("dev3").keys().size());
    }

    @Test
    void inactiveAndInvalidKeysAreNeverServed() {
        String inactive = iam.addKey("dev1", TestKeys.ed25519("rotated out"));
        iam.setKeyStatus("dev1", inactive, "Inactive");
        String weak = iam.addKey("dev2", TestKeys.rsa(1024, "weak"));
        String withOptions = iam.addKey("dev2", "command=\"/bin/sh\" " + TestKeys.ed25519(null));

        assertTrue(directory.refresh());

        DirectorySnapshot snapshot = directory.snapshot().orElseThrow();
        List<String> servedIds = snapshot.usersByLocalName().values().stream()
                .flatMap(u -> u.keys().stream()).map(SshPublicKey::keyId).toList();
        assertFalse(servedIds.contains(inactive));
        assertFalse(servedIds.contains(weak));
        assertFalse(servedIds.contains(withOptions));
        assertEquals(1, snapshot.usersByLocalName().get("dev1").keys().size());
        assertEquals(1, snapshot.usersByLocalName().get("dev2").keys().size());
    }

    @Test
    void aFailureOnAnyPageKeepsTheLastGoodSnapshot() {
        assertTrue(directory.refresh());
        DirectorySnapshot good = directory.snapshot().orElseThrow();
        iam.deleteUser("dev5");
        iam.failOnPage("GetGroup", 2, FaultKind.SERVER_ERROR);

        assertFalse(directory.refresh());

        assertTrue(good == directory.snapshot().orElseThrow(), "the same snapshot object is still served");
        assertTrue(directory.lastFailure().orElseThrow().message().contains("ServiceFailure"), directory.lastFailure().toString());

        iam.clearFaults();
        assertTrue(directory.refresh());
        assertFalse(directory.snapshot().orElseThrow().usersByLocalName().containsKey("dev5"));
        assertTrue(directory.lastFailure().isEmpty());
    }

    @Test
    void aKeyListingThatKeepsFailingAbortsTheCrawl() {
        assertTrue(directory.refresh());
        DirectorySnapshot good = directory.snapshot().orElseThrow();
        iam.failNext("ListSSHPublicKeys", FaultKind.THROTTLE, 1000);

        assertFalse(directory.refresh());

        assertTrue(good == directory.snapshot().orElseThrow());
        assertTrue(directory.lastFailure().orElseThrow().message().contains("Rate exceeded"), directory.lastFailure().toString());
    }

    @Test
    void throttlingAndServerErrorsAreRetriedAndTheCrawlCompletes() {
        iam.failNext("GetGroup", FaultKind.THROTTLE, 2);
        iam.failNext("ListSSHPublicKeys", FaultKind.SERVER_ERROR, 1);

        assertTrue(directory.refresh());

        assertEquals(6, directory.snapshot().orElseThrow().userCount());
    }

    @Test
    void aUserRenamedInIamKeepsItsIdAndFleetUidAndMovesToItsNewName() {
        assertTrue(directory.refresh());
        String id = directory.snapshot().orElseThrow().usersByLocalName().get("dev4").userId();
        Integer uid = directory.snapshot().orElseThrow().usersByLocalName().get("dev4").uid();

        iam.renameUser("dev4", "dev4-renamed");
        assertTrue(directory.refresh());

        DirectoryUser renamed = directory.snapshot().orElseThrow().usersByLocalName().get("dev4-renamed");
        assertEquals(id, renamed.userId());
        assertTrue(uid != null && uid.equals(renamed.uid()), uid + " -> " + renamed.uid());
        assertEquals(1, renamed.keys().size());
    }

    @Test
    void aSlowAnswerWithinTheAttemptTimeoutIsWaitedFor() {
        iam.delayNext("ListGroups", Duration.ofMillis(300), 1);
        assertTrue(directory.refresh());
    }
}
