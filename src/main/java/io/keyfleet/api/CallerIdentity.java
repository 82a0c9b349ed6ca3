package io.keyfleet.api;

import io.keyfleet.identity.InstanceIdentity;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/** The instance behind the current request, proven by {@link IdentityFilter}. */
@RequestScoped
public class CallerIdentity {

    private InstanceIdentity identity;

    void set(InstanceIdentity identity) {
        this.identity = identity;
    }

    /** Empty when the request was refused before its identity was proven. */
    public Optional<InstanceIdentity> find() {
        return Optional.ofNullable(identity);
    }

    public InstanceIdentity get() {
        if (identity == null) {
            throw new IllegalStateException("no verified identity on this request");
        }
        return identity;
    }
}
