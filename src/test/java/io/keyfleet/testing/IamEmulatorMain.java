package io.keyfleet.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the {@link IamEmulator} as a process of its own, for tests of the broker outside this JVM
 * (the container image): {@code java -cp target/test-classes io.keyfleet.testing.IamEmulatorMain
 * ENDPOINT_FILE KEY_LINE} serves user alice (group developers) with that key, writes its endpoint
 * to ENDPOINT_FILE and runs until killed.
 */
public final class IamEmulatorMain {

    private IamEmulatorMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: IamEmulatorMain ENDPOINT_FILE KEY_LINE");
            System.exit(2);
        }
        IamEmulator iam = new IamEmulator();
        iam.addUser("alice");
        iam.addToGroup("developers", "alice");
        iam.addKey("alice", args[1]);
        Files.writeString(Path.of(args[0]), iam.endpoint());
        Thread.currentThread().join();
    }
}
