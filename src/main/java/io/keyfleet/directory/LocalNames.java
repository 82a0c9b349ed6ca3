package io.keyfleet.directory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Maps an IAM user name to the Linux account name it gets on every instance.
 *
 * <p>The mapping is a function of the IAM name alone, so it is stable whatever other users come and
 * go, and injective by construction:
 * <ul>
 *   <li>The IAM name is lower-cased (IAM names are unique regardless of case) and {@code + = , @}
 *       become {@code .plus. .equal. .comma. .at.}, the classic aws-ec2-ssh convention.</li>
 *   <li>That "plain" form is used when it is a valid name of at most 32 characters, starts with a
 *       letter, is not reserved, and could not also be produced another way: an IAM name that already
 *       contains one of the four tokens, or that ends like a hashed name, never gets a plain form.</li>
 *   <li>Every other name gets the "hashed" form: up to 21 characters of the plain form, a dash and
 *       the first 10 hex digits of SHA-256 of the lower-cased IAM name.</li>
 * </ul>
 * Plain forms never end in {@code -} plus 10 hex digits and hashed forms always do, so the two can
 * never meet; two hashed forms meet only on a 40-bit hash collision, which the snapshot detects and
 * refuses (both users are skipped, neither takes the other's account).
 */
public final class LocalNames {

    public static final int MAX_LENGTH = 32;
    static final int HASH_HEX_DIGITS = 10;
    private static final int HASHED_PREFIX_LENGTH = MAX_LENGTH - HASH_HEX_DIGITS - 1;

    private static final Pattern IAM_NAME = Pattern.compile("[A-Za-z0-9+=,.@_-]{1,64}");
    private static final Pattern PLAIN_NAME = Pattern.compile("[a-z][a-z0-9._-]*");
    private static final Pattern HASHED_SHAPE = Pattern.compile(".*-[0-9a-f]{" + HASH_HEX_DIGITS + "}");
    private static final Pattern SUBSTITUTION_TOKEN = Pattern.compile("\\.(plus|equal|comma|at)\\.");

    /**
     * Accounts that distributions, AMIs and common agents create. An IAM user must never be mapped
     * onto one of them, even though the instance client also refuses to touch accounts it did not
     * create.
     */
    static final Set<String> RESERVED = Set.of(
            "root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp", "proxy",
            "www-data", "backup", "list", "irc", "gnats", "nobody", "nogroup", "sshd", "messagebus", "syslog",
            "adm", "admin", "operator", "halt", "shutdown", "ftp", "dbus", "polkitd", "chrony", "tss", "rpc",
            "rpcuser", "nfsnobody", "postfix", "ntp", "uuidd", "tcpdump", "landscape", "pollinate", "lxd",
            "usbmux", "dnsmasq", "avahi", "rtkit", "colord", "geoclue", "pulse", "sssd", "unbound", "libstoragemgmt",
            "ec2-user", "ec2-instance-connect", "ubuntu", "debian", "centos", "fedora", "rocky", "almalinux",
            "cloud-user", "bitnami", "ssm-user", "keyfleet", "docker", "wheel", "sudo", "users", "staff", "git");

    private final Set<String> extraReserved;

    public LocalNames(Set<String> extraReserved) {
        this.extraReserved = extraReserved.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** The Linux name for an IAM user name, or empty when the IAM name is not one IAM allows. */
    public Optional<String> localName(String iamName) {
        if (iamName == null || !IAM_NAME.matcher(iamName).matches()) {
            return Optional.empty();
        }
        String lower = iamName.toLowerCase(Locale.ROOT);
        String plain = lower.replace("+", ".plus.").replace("=", ".equal.").replace(",", ".comma.").replace("@", ".at.");
        boolean ambiguous = SUBSTITUTION_TOKEN.matcher(lower).find() || HASHED_SHAPE.matcher(plain).matches();
        if (!ambiguous && plain.length() <= MAX_LENGTH && PLAIN_NAME.matcher(plain).matches() && !isReserved(plain)) {
            return Optional.of(plain);
        }
        return Optional.of(hashed(lower, plain));
    }

    private boolean isReserved(String name) {
        return RESERVED.contains(name) || extraReserved.contains(name) || name.startsWith("systemd-");
    }

    private static String hashed(String lowerIamName, String plain) {
        String prefix = PLAIN_NAME.matcher(plain).lookingAt() ? plain : "u" + plain;
        if (prefix.length() > HASHED_PREFIX_LENGTH) {
            prefix = prefix.substring(0, HASHED_PREFIX_LENGTH);
        }
        return prefix + '-' + sha256Hex(lowerIamName).substring(0, HASH_HEX_DIGITS);
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
