package io.keyfleet.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfleet.testing.IamEmulator;
import io.keyfleet.testing.IamEmulatorResource;
import io.keyfleet.testing.InjectIamEmulator;
import io.keyfleet.testing.TestKeys;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With keyfleet.iam.assume-role-arn, IAM is read with the role's credentials, not the broker's own. */
@QuarkusTest
@WithTestResource(value = IamEmulatorResource.class,
        initArgs = @ResourceArg(name = "assume-role-arn", value = "arn:aws:iam::111122223333:role/keyfleet-reader"))
class AssumeRoleCrawlTest {

    @InjectIamEmulator
    IamEmulator iam;

    @Inject
    Directory directory;

    @Test
    void crawlsWithTheAssumedRolesCredentials() {
        iam.reset();
        iam.addUser("alice");
        iam.addToGroup("developers", "alice");
        iam.addKey("alice", TestKeys.ed25519(null));

        assertTrue(directory.refresh());

        assertEquals(1, iam.calls("AssumeRole"));
        List<String> signers = iam.accessKeysSeen();
        assertEquals(IamEmulatorResource.BROKER_ACCESS_KEY, signers.get(0), "STS is called with the broker's own credentials");
        assertTrue(signers.subList(1, signers.size()).stream().allMatch(iam.assumedAccessKey()::equals),
                "every IAM call is signed with the assumed role: " + signers);
        assertEquals(1, directory.snapshot().orElseThrow().userCount());
    }
}
