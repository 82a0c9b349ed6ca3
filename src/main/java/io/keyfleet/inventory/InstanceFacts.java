package io.keyfleet.inventory;

import java.util.Map;

/**
 * What EC2 says about an instance right now.
 *
 * @param state the instance state name: pending, running, stopping, stopped, shutting-down, terminated
 * @param tags the instance's tags
 */
public record InstanceFacts(String state, Map<String, String> tags) {

    public boolean running() {
        return "running".equals(state);
    }
}
