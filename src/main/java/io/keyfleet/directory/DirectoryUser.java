package io.keyfleet.directory;

import java.util.List;
import java.util.Set;

/**
 * A user as instances see it.
 *
 * @param iamName the IAM user name, as IAM spells it
 * @param userId the immutable IAM user id (AIDA…); survives renames
 * @param localName the Linux account name, see {@link LocalNames}
 * @param groups the crawled IAM groups the user belongs to
 * @param keys the user's Active keys that passed validation
 * @param uid the fleet-wide UID (and GID of the user's own group); null when fleet UIDs are off or
 *     the user could not be placed (see {@link UidAllocator})
 */
public record DirectoryUser(String iamName, String userId, String localName, Set<String> groups, List<SshPublicKey> keys, Integer uid) {}
