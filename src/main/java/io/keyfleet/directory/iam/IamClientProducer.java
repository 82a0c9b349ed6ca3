package io.keyfleet.directory.iam;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.IamClientBuilder;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Finishes the IAM client that the Quarkiverse extension configured from {@code quarkus.iam.*}:
 * rate limiting and metering on every attempt, Keyfleet's retry policy, and the optional role in
 * a central identity account.
 */
@ApplicationScoped
public class IamClientProducer {

    @Produces
    @ApplicationScoped
    IamClient iamClient(IamClientBuilder builder, IamConfig config, IamCallMeter meter, Instance<StsClient> sts) {
        ClientOverrideConfiguration configured = builder.overrideConfiguration();
        builder.overrideConfiguration(configured.toBuilder()
                .addExecutionInterceptor(meter)
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(config.maxAttempts())
                        // Throttling storms must slow the crawl down, not make the SDK give up early.
                        .circuitBreakerEnabled(false)
                        .build())
                .apiCallAttemptTimeout(config.attemptTimeout())
                .build());
        config.assumeRoleArn().ifPresent(roleArn -> builder.credentialsProvider(StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts.get())
                .refreshRequest(r -> r.roleArn(roleArn)
                        .roleSessionName(config.roleSessionName())
                        .externalId(config.externalId().orElse(null)))
                .build()));
        return builder.build();
    }

    void close(@Disposes IamClient client) {
        client.close();
    }
}
