package io.keyfleet.api;

import io.keyfleet.identity.InstanceIdentity;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * One line per access decision on logger {@code keyfleet.audit}, as key=value pairs that log
 * pipelines parse without a schema: who asked, for whom, the outcome and why.
 */
@ApplicationScoped
public class Audit {

    private static final Logger LOG = Logger.getLogger("keyfleet.audit");

    private final MeterRegistry registry;

    Audit(MeterRegistry registry) {
        this.registry = registry;
    }

    void decision(String endpoint, InstanceIdentity instance, String user, boolean allowed, String reason) {
        registry.counter("keyfleet.api.decisions", "endpoint", endpoint, "outcome", allowed ? "allow" : "deny", "reason", reason).increment();
        LOG.infof("decision=%s endpoint=%s reason=%s instance=%s account=%s region=%s user=%s",
                allowed ? "allow" : "deny", endpoint, reason,
                instance == null ? "-" : instance.instanceId(), instance == null ? "-" : instance.accountId(),
                instance == null ? "-" : instance.region(), user == null ? "-" : user);
    }
}
