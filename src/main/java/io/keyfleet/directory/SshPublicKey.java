package io.keyfleet.directory;

/**
 * One validated, active SSH public key, ready to be served as an authorized_keys line.
 *
 * @param keyId the IAM SSH public key id (APKA…), used as the comment so operators can match a
 *     login in sshd's log to the key in IAM
 * @param type the key type, e.g. {@code ssh-ed25519}
 * @param base64 the key blob, base64 as in authorized_keys
 */
public record SshPublicKey(String keyId, String type, String base64) {

    /** The authorized_keys line: {@code type base64 keyId}, no options. */
    public String authorizedKeysLine() {
        return type + ' ' + base64 + ' ' + keyId;
    }
}
