package io.keyfleet.inventory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.keyfleet.identity.InstanceIdentity;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Asks EC2 (DescribeInstances) for an instance's state and tags, in the instance's own region and,
 * with a cross-account role, its own account. Answers are cached per instance; when EC2 cannot be
 * reached, the last answer is used however old it is, so an EC2 outage does not lock the fleet out.
 */
@ApplicationScoped
public class InstanceInventory {

    private static final Logger LOG = Logger.getLogger(InstanceInventory.class);

    private record Known(Optional<InstanceFacts> facts, Instant at) {}

    private final Ec2Config config;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Instance<StsClient> sts;
    private final SdkHttpClient http = UrlConnectionHttpClient.create();
    private final Map<String, Ec2Client> clients = new ConcurrentHashMap<>();
    // Entries outlive the TTL so they can stand in during an outage; the TTL is checked on read.
    private final Cache<String, Known> known = Caffeine.newBuilder().maximumSize(200_000).expireAfterWrite(Duration.ofDays(1)).build();

    InstanceInventory(Ec2Config config, Clock clock, MeterRegistry registry, Instance<StsClient> sts) {
        this.config = config;
        this.clock = clock;
        this.registry = registry;
        this.sts = sts;
    }

    /** @return the instance's facts, or empty when EC2 does not know the instance */
    public Optional<InstanceFacts> describe(InstanceIdentity identity) throws InventoryUnavailableException {
        String key = identity.accountId() + '/' + identity.region() + '/' + identity.instanceId();
        Known cached = known.getIfPresent(key);
        Instant now = clock.instant();
        if (cached != null && Duration.between(cached.at(), now).compareTo(config.cacheTtl()) < 0) {
            return cached.facts();
        }
        try {
            Optional<InstanceFacts> facts = lookUp(identity);
            known.put(key, new Known(facts, now));
            count(facts.isPresent() ? "found" : "absent");
            return facts;
        } catch (RuntimeException e) {
            if (cached != null) {
                count("stale");
                LOG.warnf("EC2 look-up of %s failed, using what was known at %s: %s", identity.instanceId(), cached.at(), e.getMessage());
                return cached.facts();
            }
            count("error");
            throw new InventoryUnavailableException("EC2 look-up of " + identity.instanceId() + " failed: " + e.getMessage(), e);
        }
    }

    private Optional<InstanceFacts> lookUp(InstanceIdentity identity) {
        DescribeInstancesResponse response;
        try {
            response = client(identity.accountId(), identity.region()).describeInstances(r -> r.instanceIds(identity.instanceId()));
        } catch (AwsServiceException e) {
            if (e.awsErrorDetails() != null && "InvalidInstanceID.NotFound".equals(e.awsErrorDetails().errorCode())) {
                return Optional.empty();
            }
            throw e;
        }
        return response.reservations().stream().flatMap(r -> r.instances().stream())
                .filter(i -> identity.instanceId().equals(i.instanceId()))
                .findFirst()
                .map(i -> {
                    Map<String, String> tags = new HashMap<>();
                    for (Tag tag : i.tags()) {
                        tags.put(tag.key(), tag.value());
                    }
                    return new InstanceFacts(i.state() == null ? "unknown" : i.state().nameAsString(), Map.copyOf(tags));
                });
    }

    private Ec2Client client(String account, String region) {
        String key = config.crossAccountRoleName().isPresent() ? account + '/' + region : region;
        return clients.computeIfAbsent(key, k -> {
            var builder = Ec2Client.builder()
                    .region(Region.of(region))
                    .httpClient(http)
                    .credentialsProvider(credentials(account, region))
                    .overrideConfiguration(c -> c.apiCallAttemptTimeout(config.attemptTimeout())
                            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(2).build()));
            config.endpointOverride().ifPresent(builder::endpointOverride);
            return builder.build();
        });
    }

    private AwsCredentialsProvider credentials(String account, String region) {
        if (config.crossAccountRoleName().isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        String roleArn = "arn:" + partition(region) + ":iam::" + account + ":role/" + config.crossAccountRoleName().get();
        return StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts.get())
                .refreshRequest(r -> r.roleArn(roleArn).roleSessionName("keyfleet-ec2-reader"))
                .build();
    }

    static String partition(String region) {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }

    private void count(String outcome) {
        registry.counter("keyfleet.ec2.lookups", "outcome", outcome).increment();
    }

    @PreDestroy
    void close() {
        clients.values().forEach(Ec2Client::close);
        http.close();
    }
}
