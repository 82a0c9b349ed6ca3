package io.keyfleet.directory.iam;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Sits in the SDK's pipeline so that every HTTP attempt, retries included, waits for the rate
 * limiter and is counted, and every call's final outcome is counted by action.
 */
@ApplicationScoped
public class IamCallMeter implements ExecutionInterceptor {

    private final MeterRegistry registry;
    private final RequestRateLimiter limiter;

    IamCallMeter(MeterRegistry registry, IamConfig config) {
        this.registry = registry;
        this.limiter = new RequestRateLimiter(config.maxRequestsPerSecond());
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        limiter.acquire();
        Counter.builder("keyfleet.iam.requests").tag("action", action(attributes))
                .description("HTTP requests sent to IAM or STS, retries included").register(registry).increment();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        countCall(attributes, "success");
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        countCall(attributes, outcome(context.exception()));
    }

    private void countCall(ExecutionAttributes attributes, String outcome) {
        Counter.builder("keyfleet.iam.calls").tag("action", action(attributes)).tag("outcome", outcome)
                .description("IAM and STS calls by final outcome, after retries").register(registry).increment();
    }

    static String outcome(Throwable failure) {
        if (failure instanceof AwsServiceException e) {
            if (e.isThrottlingException()) {
                return "throttled";
            }
            if (e.awsErrorDetails() != null && "NoSuchEntity".equals(e.awsErrorDetails().errorCode())) {
                return "no-such-entity";
            }
            return e.statusCode() >= 500 ? "server-error" : "client-error";
        }
        return "io-error";
    }

    private static String action(ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        return operation == null ? "unknown" : operation;
    }
}
