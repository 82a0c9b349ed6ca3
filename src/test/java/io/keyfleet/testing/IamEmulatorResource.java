package io.keyfleet.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts an {@link IamEmulator} and points the broker's real IAM, STS and EC2 clients at it, and makes
 * the broker trust {@link TestSigner#TRUSTED} for its region. Init arg {@code assume-role-arn} turns
 * on the central-account role.
 */
public class IamEmulatorResource implements QuarkusTestResourceLifecycleManager {

    public static final String BROKER_ACCESS_KEY = "AKIABROKERTEST000001";

    private IamEmulator emulator;
    private Map<String, String> args = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        this.args = initArgs;
    }

    @Override
    public Map<String, String> start() {
        try {
            emulator = new IamEmulator();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("keyfleet.directory.source", "iam");
        for (String client : new String[] {"iam", "sts"}) {
            config.put("quarkus." + client + ".endpoint-override", emulator.endpoint());
            config.put("quarkus." + client + ".aws.credentials.type", "static");
            config.put("quarkus." + client + ".aws.credentials.static-provider.access-key-id", BROKER_ACCESS_KEY);
            config.put("quarkus." + client + ".aws.credentials.static-provider.secret-access-key", "broker-test-secret");
        }
        config.put("quarkus.sts.aws.region", "us-east-1");
        config.put("keyfleet.ec2.endpoint-override", emulator.endpoint());
        // The EC2 clients are built by Keyfleet with the SDK's default chain, which reads these first.
        System.setProperty("aws.accessKeyId", BROKER_ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", "broker-test-secret");
        config.put("keyfleet.identity.extra-certificates.\"" + TestSigner.TRUSTED_REGION + "\"",
                TestSigner.TRUSTED.writeCertificate().toString());
        config.put("keyfleet.iam.max-requests-per-second", "1000");
        // Enough to ride out a few injected faults without waiting out the full production backoff.
        config.put("keyfleet.iam.max-attempts", "4");
        if (args.containsKey("assume-role-arn")) {
            config.put("keyfleet.iam.assume-role-arn", args.get("assume-role-arn"));
        }
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(emulator, new TestInjector.AnnotatedAndMatchesType(InjectIamEmulator.class, IamEmulator.class));
    }

    @Override
    public void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }
}
