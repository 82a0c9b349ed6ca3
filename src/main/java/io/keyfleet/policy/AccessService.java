package io.keyfleet.policy;

import io.keyfleet.identity.InstanceIdentity;
import io.keyfleet.inventory.Ec2Config;
import io.keyfleet.inventory.InstanceFacts;
import io.keyfleet.inventory.InstanceInventory;
import io.keyfleet.inventory.InventoryUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Decides what a verified instance may have: EC2 facts when needed, then the policies. */
@ApplicationScoped
public class AccessService {

    private final PolicyEngine policies;
    private final InstanceInventory inventory;
    private final boolean requireRunning;

    AccessService(PolicyEngine policies, InstanceInventory inventory, Ec2Config ec2) {
        this.policies = policies;
        this.inventory = inventory;
        this.requireRunning = ec2.requireRunning();
    }

    public Access accessFor(InstanceIdentity identity) throws AccessDeniedException, InventoryUnavailableException {
        Optional<InstanceFacts> facts = Optional.empty();
        if (requireRunning || policies.needsTags()) {
            facts = inventory.describe(identity);
            if (requireRunning && !facts.map(InstanceFacts::running).orElse(false)) {
                throw new AccessDeniedException("instance-not-running", identity.instanceId() + " is "
                        + facts.map(InstanceFacts::state).orElse("unknown to EC2"));
            }
        }
        Access access = policies.evaluate(identity, facts);
        if (access.isEmpty()) {
            throw new AccessDeniedException("no-policy-matches", "no policy admits " + identity.instanceId() + " of account "
                    + identity.accountId() + " in " + identity.region());
        }
        return access;
    }
}
