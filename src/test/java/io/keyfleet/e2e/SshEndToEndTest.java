package io.keyfleet.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfleet.directory.Directory;
import io.keyfleet.testing.IamEmulator;
import io.keyfleet.testing.IamEmulatorResource;
import io.keyfleet.testing.ImdsEmulator;
import io.keyfleet.testing.InjectIamEmulator;
import io.keyfleet.testing.TestSigner;
import io.keyfleet.testing.TestTls;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Real parts end to end: this broker (TLS on loopback) reading the IAM emulator, an IMDS emulator
 * serving a document signed by the test CA, the instance client jar running the real shadow-utils
 * for {@code sync}, and Debian's real OpenSSH sshd with the client as AuthorizedKeysCommand, logged
 * into with the real ssh client. Accounts, /etc, /home and sshd live in a private mount namespace
 * (src/test/resources/e2e/sandbox.sh), so the machine is never changed. Needs root, unshare,
 * nsenter, sshd, ssh and sudo; .ci/run installs them.
 */
@QuarkusTest
@TestProfile(SshEndToEndTest.E2eBroker.class)
@WithTestResource(IamEmulatorResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SshEndToEndTest {

    static final TestTls TLS = TestTls.create("Keyfleet e2e CA");
    static final String INSTANCE = "i-0e2e0e2e0e2e0e2e0";
    static final Path CLIENT_JAR = Path.of("instance-client/target/keyfleet-client.jar");
    static final Path DEB = Path.of("instance-client/target/keyfleet-client.deb");
    static final String[] INSTALL = {"java", "-jar", "/mnt/dist/keyfleet-client.jar", "install", "--prefix", "/mnt/keyfleet"};
    static final String INSTALLED_FILES = "/etc/ssh/sshd_config.d/50-keyfleet.conf /etc/systemd/system/keyfleet-sync.service "
            + "/etc/systemd/system/keyfleet-sync.timer /mnt/keyfleet/bin/keyfleet /etc/keyfleet/client.conf";

    public static class E2eBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.tls.key-store.pem.0.cert", TLS.serverCertificate.toString(),
                    "quarkus.tls.key-store.pem.0.key", TLS.serverKey.toString(),
                    "quarkus.http.test-ssl-port", "0",
                    "quarkus.http.insecure-requests", "enabled",
                    "keyfleet.directory.login-revalidation-age", "1s",
                    "keyfleet.policies.e2e.accounts", TestSigner.ACCOUNT,
                    "keyfleet.policies.e2e.groups", "developers",
                    "keyfleet.policies.e2e.sudo-groups", "admins");
        }
    }

    @InjectIamEmulator
    IamEmulator iam;

    @Inject
    Directory directory;

    @TestHTTPResource(value = "/", tls = true)
    URL broker;

    Path work;
    Path keys;
    int sshPort;
    Process sandbox;
    ImdsEmulator imds;
    String aliceKeyId;

    @BeforeAll
    void startSandbox() throws Exception {
        assertTrue(Files.isRegularFile(CLIENT_JAR), CLIENT_JAR + " is missing: build the client first "
                + "(./mvnw -f instance-client/pom.xml package), as the README's test command does");
        assertEquals("0", run(List.of("id", "-u")).out().strip(), "the sandbox needs root");

        work = Files.createTempDirectory("keyfleet-e2e");
        keys = Files.createDirectory(work.resolve("keys"));
        String document = TestSigner.document(INSTANCE, "us-east-1");
        imds = new ImdsEmulator(document, TestSigner.TRUSTED.sign(document, true));
        iam.reset();
        iam.putInstance(INSTANCE, "running", Map.of());
        aliceKeyId = person("alice", "developers");
        person("adam", "admins");
        person("mallory", "contractors");
        assertTrue(directory.refresh());

        Files.copy(CLIENT_JAR, work.resolve("keyfleet-client.jar"));
        Files.copy(TLS.caCertificate, work.resolve("ca.pem"));
        writeClientConfig("https://127.0.0.1:" + broker.getPort(), "6h");
        try (ServerSocket free = new ServerSocket(0)) {
            sshPort = free.getLocalPort();
        }
        Path script = work.resolve("sandbox.sh");
        Files.copy(Path.of("src/test/resources/e2e/sandbox.sh"), script);
        sandbox = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "bash", script.toString(), work.toString(),
                String.valueOf(sshPort)).redirectErrorStream(true).redirectOutput(work.resolve("sandbox.log").toFile()).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(work.resolve("ready")) || !sandbox.isAlive());
        assertTrue(sandbox.isAlive(), () -> "sandbox did not start: " + read(work.resolve("sandbox.log")));

        Result install = inSandbox(INSTALL);
        assertEquals(0, install.exit(), install.toString());
        Result sshd = inSandbox("/usr/sbin/sshd", "-f", "/mnt/keyfleet/sshd_config", "-E", work.resolve("sshd.log").toString());
        assertEquals(0, sshd.exit(), sshd.toString());
    }

    @AfterAll
    void stopSandbox() throws Exception {
        if (sandbox != null) {
            inSandbox("sh", "-c", "kill $(cat /mnt/keyfleet/sshd.pid)");
            sandbox.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (imds != null) {
            imds.close();
        }
        if (work != null) {
            run(List.of("rm", "-rf", "--one-file-system", work.toString()));
        }
    }

    @Test
    @Order(0)
    void installPutsTheClientWhereSshdTrustsItAndIsIdempotent() throws Exception {
        assertEquals("AuthorizedKeysCommand /mnt/keyfleet/bin/keyfleet authorized-keys %u\nAuthorizedKeysCommandUser keyfleet",
                inSandbox("grep", "^Authorized", "/etc/ssh/sshd_config.d/50-keyfleet.conf").out().strip());
        assertEquals(0, inSandbox("test", "-s", "/mnt/keyfleet/lib/keyfleet.jsa").exit(), "class-data-sharing archive built");
        assertTrue(inSandbox("stat", "-c", "%U %a", "/mnt/keyfleet/cache").out().startsWith("keyfleet 700"));
        String before = inSandbox("sh", "-c", "stat -c '%n %Y %s' " + INSTALLED_FILES).out();
        Result again = inSandbox(INSTALL);
        assertEquals(0, again.exit(), again.toString());
        assertEquals(before, inSandbox("sh", "-c", "stat -c '%n %Y %s' " + INSTALLED_FILES).out(), "a second install changes nothing");
    }

    @Test
    @Order(1)
    void syncCreatesTheAllowedUsersAndOnlyThem() throws Exception {
        Result sync = inSandbox("/mnt/keyfleet/bin/keyfleet", "sync");
        assertEquals(0, sync.exit(), sync.toString());
        assertTrue(inSandbox("getent", "passwd", "alice").out().contains(":alice:/home/alice:/bin/bash"));
        Integer fleetUid = directory.snapshot().orElseThrow().usersByLocalName().get("alice").uid();
        assertTrue(fleetUid != null && fleetUid >= 1_000_000, "the broker placed alice: " + fleetUid);
        assertEquals(fleetUid + "\n" + fleetUid, inSandbox("sh", "-c", "id -u alice; id -g alice").out().strip(),
                "the same UID as on every instance, and her own group with the same GID");
        assertNotEquals(0, inSandbox("getent", "passwd", "mallory").exit());
        assertTrue(inSandbox("id", "-nG", "adam").out().contains("keyfleet-users"));
        Result again = inSandbox("/mnt/keyfleet/bin/keyfleet", "sync", "--dry-run");
        assertEquals(0, again.exit(), again.toString());
        assertFalse(again.out().contains("would "), "a second run has nothing to do: " + again);
    }

    @Test
    @Order(2)
    void anAllowedUserLogsInWithHerKey() throws Exception {
        Result login = ssh("alice", "alice", "id -un");
        assertEquals(0, login.exit(), login + sshdLog());
        assertEquals("alice", login.out().strip());
    }

    @Test
    @Order(3)
    void aUserOutsideTheGrantedGroupsCannot() throws Exception {
        inSandbox("useradd", "--password", "*", "mallory"); // even with an account of her own
        assertNotEquals(0, ssh("mallory", "mallory", "true").exit());
    }

    @Test
    @Order(4)
    void anInactiveKeyCannot() throws Exception {
        String keyId = iam.addKey("alice", publicKey("alice-old"));
        iam.setKeyStatus("alice", keyId, "Inactive");
        directory.refresh();
        assertNotEquals(0, ssh("alice", "alice-old", "true").exit());
    }

    @Test
    @Order(5)
    void sudoWorksForTheSudoGroupOnly() throws Exception {
        Result adam = ssh("adam", "adam", "sudo -n id -u");
        assertEquals("0", adam.out().strip(), adam + sshdLog());
        assertNotEquals(0, ssh("alice", "alice", "sudo -n id -u").exit());
    }

    @Test
    @Order(6)
    void withTheBrokerUnreachableLoginsUseTheCacheUntilItIsTooOld() throws Exception {
        assertEquals(0, inSandbox("/mnt/keyfleet/bin/keyfleet", "sync").exit(), "refreshes the cached roster");
        try (ServerSocket closed = new ServerSocket(0)) {
            writeClientConfig("https://127.0.0.1:" + closed.getLocalPort(), "6h");
        }
        inSandbox("install", "-m", "0644", work.resolve("client.conf").toString(), "/etc/keyfleet/client.conf");
        Result offline = ssh("alice", "alice", "id -un");
        assertEquals("alice", offline.out().strip(), offline + sshdLog());
        assertNotEquals(0, inSandbox("/mnt/keyfleet/bin/keyfleet", "status").exit(), "status reports the outage");

        Result noChange = inSandbox("/mnt/keyfleet/bin/keyfleet", "sync");
        assertNotEquals(0, noChange.exit());
        assertTrue(inSandbox("getent", "passwd", "alice").exit() == 0, "a broker fault removes nobody");

        // Seven hours later, as far as the cache can tell: past offline-max-age, logins fail closed.
        inSandbox("sh", "-c", "find /mnt/keyfleet/cache /mnt/keyfleet/state -type f -exec touch -d '-7 hours' {} +");
        assertNotEquals(0, ssh("alice", "alice", "true").exit());

        writeClientConfig("https://127.0.0.1:" + broker.getPort(), "6h");
        inSandbox("install", "-m", "0644", work.resolve("client.conf").toString(), "/etc/keyfleet/client.conf");
        assertEquals(0, ssh("alice", "alice", "true").exit(), "back to normal with the broker back");
    }

    @Test
    @Order(7)
    void aKeyDeletedInIamStopsWorkingAtTheNextLogin() throws Exception {
        assertEquals(0, ssh("alice", "alice", "true").exit());
        iam.deleteKey("alice", aliceKeyId);
        // Within a second or two: the broker's per-login revalidation age and the client's recent answer.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> ssh("alice", "alice", "true").exit() != 0);
        aliceKeyId = iam.addKey("alice", publicKey("alice"));
    }

    @Test
    @Order(8)
    void whenSheLeavesTheGroupTheNextSyncLocksHerAccount() throws Exception {
        iam.removeFromGroup("developers", "alice");
        assertTrue(directory.refresh());
        Result sync = inSandbox("/mnt/keyfleet/bin/keyfleet", "sync");
        assertEquals(0, sync.exit(), sync.toString());
        assertTrue(inSandbox("getent", "shadow", "alice").out().startsWith("alice:!"), "locked");
        assertTrue(Files.isDirectory(work.resolve("home/alice")), "her files are kept");
        assertNotEquals(0, ssh("alice", "alice", "true").exit());
    }

    @Test
    @Order(9)
    void syncKilledAtRandomPointsConvergesWithoutLosingAnyone() throws Exception {
        Random random = new Random(7); // fixed seed: the same kill points on every run
        int interrupted = 0;
        for (int round = 0; round < 6; round++) {
            for (int i = round * 20; i < round * 20 + 20; i++) {
                person("new" + i, i % 5 == 0 ? "admins" : "developers");
            }
            assertTrue(directory.refresh());
            Process sync = new ProcessBuilder("nsenter", "--target", String.valueOf(sandbox.pid()), "--mount", "--",
                    "/mnt/keyfleet/bin/keyfleet", "sync").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            // The kill point is the test's variable, so this one wait is a sleep on purpose.
            Thread.sleep(200 + random.nextInt(500));
            interrupted += sync.isAlive() ? 1 : 0;
            sync.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no finally blocks run
        }
        assertTrue(interrupted > 0, "at least one sync was killed while it worked");
        // A killed sync's useradd may still be finishing; reruns converge once it is done.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> inSandbox("/mnt/keyfleet/bin/keyfleet", "sync").exit() == 0);
        for (int i = 0; i < 120; i++) {
            assertTrue(inSandbox("id", "-nG", "new" + i).out().contains("keyfleet-users"), "new" + i);
        }
        assertEquals(0, inSandbox("getent", "passwd", "adam").exit(), "nobody lost");
        assertEquals(0, inSandbox("visudo", "--check", "--quiet", "--file", "/etc/sudoers.d/keyfleet").exit());
        assertEquals("25", inSandbox("grep", "-c", "NOPASSWD", "/etc/sudoers.d/keyfleet").out().strip(), "adam and every fifth new one");
        String roster = inSandbox("cat", "/mnt/keyfleet/state/roster.json").out();
        assertTrue(roster.startsWith("{\"users\":[") && roster.endsWith("]}"), "the cached roster is whole");
        Result again = inSandbox("/mnt/keyfleet/bin/keyfleet", "sync", "--dry-run");
        assertFalse(again.out().contains("would "), "converged: " + again);
        assertEquals("", inSandbox("find", "/mnt/keyfleet/state", "/etc/sudoers.d", "-name", ".*.tmp").out(), "no leftovers");
    }

    @Test
    @Order(10)
    void uninstallTakesOutTheDropInAndUnitsAndSshdStillStarts() throws Exception {
        Result uninstall = inSandbox("java", "-jar", "/mnt/dist/keyfleet-client.jar", "install", "--prefix", "/mnt/keyfleet",
                "--uninstall");
        assertEquals(0, uninstall.exit(), uninstall.toString());
        assertNotEquals(0, inSandbox("test", "-e", "/etc/ssh/sshd_config.d/50-keyfleet.conf").exit());
        assertNotEquals(0, inSandbox("test", "-e", "/etc/systemd/system/keyfleet-sync.timer").exit());
        assertEquals(0, inSandbox("test", "-e", "/etc/keyfleet/client.conf").exit(), "the configuration is kept");
        Result check = inSandbox("/usr/sbin/sshd", "-t");
        assertEquals(0, check.exit(), check.toString());
    }

    @Test
    @Order(11)
    void anotherAuthorizedKeysCommandIsReplacedOnlyOnRequestAndUninstallGivesItBackByteForByte() throws Exception {
        // Amazon Linux 2023's shape: the drop-in Include first, EC2 Instance Connect's lines in the main file.
        Path al2023 = Files.createDirectories(work.resolve("al2023/sshd_config.d"));
        Files.writeString(al2023.resolveSibling("sshd_config"), String.join("\n",
                "Include " + al2023 + "/*.conf",
                "HostKey /mnt/keyfleet/ssh_host_ed25519_key",
                "PasswordAuthentication no",
                "AuthorizedKeysCommand /opt/aws/bin/eic_run_authorized_keys %u %f",
                "AuthorizedKeysCommandUser ec2-instance-connect", ""));
        String config = al2023.resolveSibling("sshd_config").toString();
        String before = fingerprint(al2023.getParent());

        Result refused = inSandbox(withSshdConfig(config));
        assertEquals(FAILURE_UNEXPECTED_STATE, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("eic_run_authorized_keys") && refused.err().contains("--replace"), refused.err());
        assertEquals(before, fingerprint(al2023.getParent()), "refused: nothing changed");

        Result replaced = inSandbox(withSshdConfig(config, "--replace"));
        assertEquals(0, replaced.exit(), replaced.toString());
        assertTrue(inSandbox("sshd", "-T", "-f", config).out().contains("authorizedkeyscommand /mnt/keyfleet/bin/keyfleet authorized-keys"));

        Result uninstall = inSandbox(withSshdConfig(config, "--uninstall"));
        assertEquals(0, uninstall.exit(), uninstall.toString());
        assertEquals(before, fingerprint(al2023.getParent()), "uninstall restores the configuration byte for byte");
        Result check = inSandbox("sshd", "-T", "-f", config);
        assertTrue(check.out().contains("authorizedkeyscommand /opt/aws/bin/eic_run_authorized_keys"), check.toString());
    }

    @Test
    @Order(12)
    void aConfigurationThatDoesNotReadTheDropInIsRefusedAndLeftAlone() throws Exception {
        Path old = Files.createDirectories(work.resolve("no-include/sshd_config.d"));
        Files.writeString(old.resolveSibling("sshd_config"), "HostKey /mnt/keyfleet/ssh_host_ed25519_key\nPasswordAuthentication no\n");
        String before = fingerprint(old.getParent());
        Result refused = inSandbox(withSshdConfig(old.resolveSibling("sshd_config").toString()));
        assertEquals(FAILURE_UNEXPECTED_STATE, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("must 'Include"), refused.err());
        assertEquals(before, fingerprint(old.getParent()));
    }

    @Test
    @Order(13)
    void ubuntusInstanceConnectOnSshdsCommandLineIsDetected() throws Exception {
        // Ubuntu's ec2-instance-connect passes -o AuthorizedKeysCommand=… from a systemd drop-in.
        String unitDropIn = "/etc/systemd/system/ssh.service.d/ec2-instance-connect.conf";
        Path unit = work.resolve("ec2-instance-connect.conf");
        Files.writeString(unit, "[Service]\nExecStart=\nExecStart=/usr/sbin/sshd -D -o \"AuthorizedKeysCommand "
                + "/usr/share/ec2-instance-connect/eic_run_authorized_keys %%u %%f\" -o \"AuthorizedKeysCommandUser ec2-instance-connect\"\n");
        inSandbox("install", "-D", "-m", "0644", unit.toString(), unitDropIn);
        Result refused = inSandbox(INSTALL);
        assertEquals(FAILURE_UNEXPECTED_STATE, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("ec2-instance-connect.conf"), refused.err());
        assertNotEquals(0, inSandbox("test", "-e", "/etc/ssh/sshd_config.d/50-keyfleet.conf").exit());
        inSandbox("rm", unitDropIn);
    }

    @Test
    @Order(14)
    void theDebInstallsWithDpkgAndItsClientWorksThenRemovesCleanly() throws Exception {
        Result install = inSandbox("dpkg", "--force-confold", "-i", DEB.toAbsolutePath().toString());
        assertEquals(0, install.exit(), install.toString());
        assertTrue(inSandbox("dpkg", "-s", "keyfleet-client").out().contains("Status: install ok installed"));
        assertEquals("AuthorizedKeysCommand /usr/bin/keyfleet authorized-keys %u",
                inSandbox("grep", "^AuthorizedKeysCommand ", "/etc/ssh/sshd_config.d/50-keyfleet.conf").out().strip(), "postinst set sshd up");
        assertEquals(0, inSandbox("test", "-s", "/var/lib/keyfleet/keyfleet.jsa").exit(), "and built the CDS archive");
        Result status = inSandbox("/usr/bin/keyfleet", "status");
        assertEquals(0, status.exit(), status.toString());
        assertTrue(status.out().contains("status:      healthy"), status.out());

        Result remove = inSandbox("dpkg", "-r", "keyfleet-client");
        assertEquals(0, remove.exit(), remove.toString());
        assertNotEquals(0, inSandbox("test", "-e", "/etc/ssh/sshd_config.d/50-keyfleet.conf").exit(), "prerm took the drop-in back");
        assertEquals(0, inSandbox("/usr/sbin/sshd", "-t").exit());
        assertEquals(0, inSandbox("test", "-e", "/etc/keyfleet/client.conf").exit(), "dpkg -r keeps conffiles");
    }

    @Test
    @Order(15)
    void theRpmHoldsTheExpectedFilesConfigAndScripts() throws Exception {
        Path rpm;
        try (var found = Files.list(Path.of("instance-client/target/rpm/keyfleet-client/RPMS/noarch"))) {
            rpm = found.filter(p -> p.toString().endsWith(".rpm")).findFirst().orElseThrow();
        }
        Result files = run(List.of("rpm", "-qp", "--qf", "[%{FILEMODES:perms} %{FILEFLAGS:fflags} %{FILENAMES}\\n]", rpm.toString()));
        assertEquals(String.join("\n",
                "drwxr-xr-x  /etc/keyfleet",
                "-rw-r--r-- cn /etc/keyfleet/client.conf",
                "-rwxr-xr-x  /usr/bin/keyfleet",
                "-rw-r--r--  /usr/lib/systemd/system/keyfleet-sync.service",
                "-rw-r--r--  /usr/lib/systemd/system/keyfleet-sync.timer",
                "drwxr-xr-x  /usr/share/keyfleet",
                "-rw-r--r--  /usr/share/keyfleet/keyfleet-client.jar"), files.out().strip(), files.toString());
        String scripts = run(List.of("rpm", "-qp", "--scripts", rpm.toString())).out();
        assertTrue(scripts.contains("postinstall scriptlet") && scripts.contains("/usr/bin/keyfleet install --packaged"), scripts);
        assertTrue(scripts.contains("preuninstall scriptlet") && scripts.contains("if [ \"$1\" = \"0\" ]"), scripts);
        // The launcher and units are the same rendered files as in the .deb, whose installed client the test above runs.
    }

    // ----- helpers

    /** The client's exit code for "the world is not as it must be". */
    private static final int FAILURE_UNEXPECTED_STATE = 3;

    private static String[] withSshdConfig(String sshdConfig, String... more) {
        List<String> argv = new ArrayList<>(List.of(INSTALL));
        argv.addAll(List.of("--sshd-config", sshdConfig));
        argv.addAll(List.of(more));
        return argv.toArray(String[]::new);
    }

    private String fingerprint(Path dir) throws Exception {
        return run(List.of("sh", "-c", "cd " + dir + " && find . -type f | sort | xargs -r sha256sum")).out();
    }

    /** A person in IAM with a fresh OpenSSH key pair of their own; returns the key's IAM id. */
    private String person(String name, String group) throws Exception {
        iam.addUser(name);
        iam.addToGroup(group, name);
        return iam.addKey(name, publicKey(name));
    }

    private String publicKey(String keyName) throws Exception {
        Path key = keys.resolve(keyName);
        if (!Files.exists(key)) {
            assertEquals(0, run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", keyName, "-f", key.toString())).exit());
        }
        return Files.readString(keys.resolve(keyName + ".pub")).strip();
    }

    private void writeClientConfig(String brokerUrl, String offlineMaxAge) throws IOException {
        Files.writeString(work.resolve("client.conf"), String.join("\n",
                "broker-url = " + brokerUrl,
                "ca-bundle = /etc/keyfleet/broker-ca.pem",
                "imds-endpoint = " + imds.endpoint(),
                "cache-dir = /mnt/keyfleet/cache",
                "state-dir = /mnt/keyfleet/state",
                "recent-answer-max-age = 1s",
                "offline-max-age = " + offlineMaxAge,
                ""));
    }

    private Result ssh(String user, String keyName, String command) throws Exception {
        return run(List.of("ssh", "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes", "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR",
                "-i", keys.resolve(keyName).toString(), "-p", String.valueOf(sshPort), user + "@127.0.0.1", command));
    }

    private Result inSandbox(String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--target", String.valueOf(sandbox.pid()), "--mount", "--"));
        argv.addAll(List.of(command));
        return run(argv);
    }

    private String sshdLog() {
        return "\n--- sshd log (last lines) ---\n" + tail(read(work.resolve("sshd.log")), 30);
    }

    record Result(int exit, String out, String err) {}

    private static Result run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        // Drain both streams while waiting, so a chatty child cannot block on a full pipe.
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        String out = readAll(process.getInputStream());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in 60 s");
        }
        return new Result(process.exitValue(), out, err.get());
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(" + file + " unreadable: " + e.getMessage() + ")";
        }
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
