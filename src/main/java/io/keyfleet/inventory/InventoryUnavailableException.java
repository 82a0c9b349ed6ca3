package io.keyfleet.inventory;

/** EC2 could not be asked about an instance and nothing is known about it: answered with 503. */
public class InventoryUnavailableException extends Exception {

    public InventoryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
